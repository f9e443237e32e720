package yingyan.adapters.publicfunds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.Status;
import yingyan.spi.AdapterMonitor;
import yingyan.spi.IngestGateway;
import yingyan.testsupport.Services;

/**
 * The adapter against the machine's RabbitMQ, with the whole hub around it (test profile: H2, embedded Artemis).
 * Each run uses its own durable queue (the treasury's {@code treasury.payments} is not touched), declared here
 * as the treasury would. Skipped when no RabbitMQ answers, mandatory with YINGYAN_REQUIRE_SERVICES=true.
 */
@SpringBootTest
@ActiveProfiles("test")
class PublicFundsRabbitMqIT {
    private static final String ADAPTER = PublicFundsProperties.ADAPTER_ID;
    private static final String QUEUE = "treasury.payments.it-" + UUID.randomUUID().toString().substring(0, 8);
    private static String broker;
    private static Connection connection;
    private static Channel channel;

    @Autowired
    CamelContext camel;
    @Autowired
    JdbcTemplate hub;
    @Autowired
    AdapterMonitor monitor;
    @MockitoSpyBean
    IngestGateway gateway;

    /** Submits while true fail as a hub that cannot queue does. */
    private final AtomicBoolean hubCannotQueue = new AtomicBoolean();
    /** Submits once more, then fails as a hub killed before the container acked. */
    private final AtomicBoolean dieAfterNextSubmit = new AtomicBoolean();
    private final AtomicInteger submits = new AtomicInteger();

    @BeforeAll
    static void queue() throws Exception {
        broker = Services.rabbitMq();
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(broker.substring(0, broker.lastIndexOf(':')));
        f.setPort(Integer.parseInt(broker.substring(broker.lastIndexOf(':') + 1)));
        f.setUsername(Services.rabbitUser());
        f.setPassword(Services.rabbitPassword());
        connection = f.newConnection("PublicFundsRabbitMqIT");
        channel = connection.createChannel();
        channel.queueDeclare(QUEUE, true, false, false, null);
    }

    @AfterAll
    static void deleteQueue() throws Exception {
        if (channel != null) {
            channel.queueDelete(QUEUE);
            connection.close();
        }
    }

    @DynamicPropertySource
    static void adapter(DynamicPropertyRegistry r) {
        r.add("hub.adapters.public-funds.enabled", () -> "true");
        r.add("hub.adapters.public-funds.addresses", () -> broker);
        r.add("hub.adapters.public-funds.username", Services::rabbitUser);
        r.add("hub.adapters.public-funds.password", Services::rabbitPassword);
        r.add("hub.adapters.public-funds.queue", () -> QUEUE);
        r.add("hub.adapters.public-funds.backoff-initial", () -> "200ms");
        r.add("hub.adapters.public-funds.backoff-max", () -> "1s");
    }

    @BeforeEach
    void gateway() {
        doAnswer(call -> {
            submits.incrementAndGet();
            if (hubCannotQueue.get()) {
                throw new IngestGateway.IngestException("broker away (test)", null);
            }
            Object outcome = call.callRealMethod();
            if (dieAfterNextSubmit.compareAndSet(true, false)) {
                throw new IllegalStateException("hub killed after queueing, before the ack (test)");
            }
            return outcome;
        }).when(gateway).submit(any());
    }

    @AfterEach
    void routeRunning() throws Exception {
        hubCannotQueue.set(false);
        if (camel.getRouteController().getRouteStatus(PublicFundsRoute.ROUTE_ID) != ServiceStatus.Started) {
            camel.getRouteController().startRoute(PublicFundsRoute.ROUTE_ID);
        }
    }

    @Test
    void aPaymentPublishedTwiceIsOneVersion() throws Exception {
        int before = submits.get();
        String body = payment("ZF-IT-DUP", "已支付", "2026-03-01 15:30:02");
        publish(body);
        // After a failover: the same payment, its keys in another order.
        publish("{\"updatedAt\": \"2026-03-01 15:30:02\", " + body.substring(1, body.indexOf(", \"updatedAt\"")) + "}");
        await().atMost(Duration.ofSeconds(30)).until(() -> submits.get() - before >= 2 && queueDrained() && versions("ZF-IT-DUP") >= 1);
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true); // a 2nd would be in by now
        assertThat(versions("ZF-IT-DUP")).isEqualTo(1);
        assertThat(record("ZF-IT-DUP").status()).isEqualTo(Status.COMPLETED);
        assertAllAcked();
    }

    @Test
    void aMalformedMessageIsQuarantinedAndAcked() throws Exception {
        publish("{\"payNo\": \"ZF-IT-BAD\", \"status\": \"已支付\"");
        await().atMost(Duration.ofSeconds(30)).until(() -> hub.queryForObject(
                "SELECT COUNT(*) FROM quarantine WHERE adapter = ? AND field = '(message)'", Integer.class, ADAPTER) >= 1);
        assertAllAcked();
    }

    @Test
    void paidBeforeApprovedEndsPaid() throws Exception {
        int before = submits.get();
        publish(payment("ZF-IT-ORDER", "已支付", "2026-03-01 15:30:02"));
        publish(payment("ZF-IT-ORDER", "已审核", "2026-03-01 10:12:01"));
        await().atMost(Duration.ofSeconds(30)).until(() -> submits.get() - before >= 2 && queueDrained() && versions("ZF-IT-ORDER") >= 1);
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertThat(versions("ZF-IT-ORDER")).as("the older 已审核 is no newer version").isEqualTo(1);
        assertThat(record("ZF-IT-ORDER").status()).isEqualTo(Status.COMPLETED);
        assertThat(record("ZF-IT-ORDER").source().updatedAt().toLocalDateTime()).hasToString("2026-03-01T15:30:02");
        assertAllAcked();
    }

    @Test
    void aMessageTheHubDiedBeforeAckingIsRedeliveredAndStaysOneVersion() throws Exception {
        dieAfterNextSubmit.set(true);
        publish(payment("ZF-IT-KILL", "已支付", "2026-03-02 09:00:00"));
        await().atMost(Duration.ofSeconds(30)).until(() -> versions("ZF-IT-KILL") == 1 && submits.get() >= 2
                && queueDrained());
        assertThat(versions("ZF-IT-KILL")).isEqualTo(1);
        assertAllAcked();
    }

    @Test
    void whileTheHubCannotQueueNothingIsAckedNothingLoopsAndTheMessageComesLater() throws Exception {
        hubCannotQueue.set(true);
        int before = submits.get();
        publish(payment("ZF-IT-DOWN", "已支付", "2026-03-03 09:00:00"));
        await().atMost(Duration.ofSeconds(30)).until(() -> submits.get() - before >= 3);
        assertThat(monitor.state(ADAPTER).failing()).as("DOWN while the hub cannot queue").isTrue();
        assertThat(monitor.state(ADAPTER).lastError()).contains("cannot queue");
        // Backoff 200 ms doubling to 1 s: three attempts took at least 0.6 s; a requeue loop makes hundreds.
        int tried = submits.get() - before;
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
        assertThat(submits.get() - before).as("attempts in ~2 s more").isLessThanOrEqualTo(tried + 3);

        // The consumer stops before any ack: the message is back in the queue, not lost.
        camel.getRouteController().stopRoute(PublicFundsRoute.ROUTE_ID);
        await().atMost(Duration.ofSeconds(10)).until(() -> ready() == 1);
        assertThat(versions("ZF-IT-DOWN")).isZero();

        hubCannotQueue.set(false);
        camel.getRouteController().startRoute(PublicFundsRoute.ROUTE_ID);
        await().atMost(Duration.ofSeconds(30)).until(() -> versions("ZF-IT-DOWN") == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> !monitor.state(ADAPTER).failing());
        assertAllAcked();
    }

    private static String payment(String payNo, String status, String updatedAt) {
        String paid = "已支付".equals(status) ? "\"paidAt\": \"2026-03-01 15:30:00\", " : "";
        return "{\"payNo\": \"" + payNo + "\", \"region\": \"370700\", \"payerUnitCode\": \"106001\","
                + " \"payerUnitName\": \"潍坊市某某局\", \"payee\": {\"type\": \"ORG\", \"name\": \"某某工程有限公司\","
                + " \"creditCode\": \"91350100M000100Y43\", \"account\": \"6222****1234\"}, \"amount\": \"356000.00\","
                + " \"subjectCode\": \"2120303\", \"subjectName\": \"城乡社区公共设施\", \"purpose\": \"道路维修工程进度款\","
                + " \"mode\": \"直接支付\", \"approvedAt\": \"2026-03-01 10:12:00\", \"approver\": \"王五\", " + paid
                + "\"status\": \"" + status + "\", \"updatedAt\": \"" + updatedAt + "\"}";
    }

    private static void publish(String body) throws Exception {
        channel.basicPublish("", QUEUE, MessageProperties.PERSISTENT_BASIC, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Ready messages; an unacked one counts again only once its consumer let go of it. */
    private static long ready() throws Exception {
        return channel.messageCount(QUEUE);
    }

    private static boolean queueDrained() throws Exception {
        return ready() == 0;
    }

    /** Stopping the consumer hands every unacked message back: an empty queue then means all were acked. */
    private void assertAllAcked() throws Exception {
        camel.getRouteController().stopRoute(PublicFundsRoute.ROUTE_ID);
        assertThat(ready()).as("messages left unacked in " + QUEUE).isZero();
        camel.getRouteController().startRoute(PublicFundsRoute.ROUTE_ID);
    }

    private int versions(String payNo) {
        return hub.queryForObject("SELECT COUNT(*) FROM record_version WHERE record_id = ?", Integer.class,
                ADAPTER + ":" + payNo);
    }

    private CanonicalRecord record(String payNo) {
        List<String> body = hub.queryForList("SELECT body FROM record WHERE record_id = ?", String.class,
                ADAPTER + ":" + payNo);
        assertThat(body).as("record " + payNo).hasSize(1);
        return CanonicalJson.read(body.get(0));
    }

}
