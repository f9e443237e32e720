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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.ResidentIds;
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
@ExtendWith(OutputCaptureExtension.class)
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
    /** Submits while set fail with this (not an IngestException): a hand-over that breaks in another way. */
    private final AtomicReference<RuntimeException> otherFailure = new AtomicReference<>();
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
            RuntimeException other = otherFailure.get();
            if (other != null) {
                throw other;
            }
            Object outcome = call.callRealMethod();
            if (dieAfterNextSubmit.compareAndSet(true, false)) {
                // The hub goes down after queueing, before the ack: its consumer stops (as at a kill, nothing
                // is acked) while the hand-over fails. The consumer backs off, sees the stop and hands it back.
                CompletableFuture.runAsync(() -> {
                    try {
                        camel.getRouteController().stopRoute(PublicFundsRoute.ROUTE_ID);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                throw new IllegalStateException("hub killed after queueing, before the ack (test)");
            }
            return outcome;
        }).when(gateway).submit(any());
    }

    @AfterEach
    void routeRunning() throws Exception {
        hubCannotQueue.set(false);
        otherFailure.set(null);
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
        // A second version would be in within a second: it stays one for that long.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> versions("ZF-IT-DUP") == 1);
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
        // The older 已审核 is no newer version: it stays one for a second.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> versions("ZF-IT-ORDER") == 1);
        assertThat(record("ZF-IT-ORDER").status()).isEqualTo(Status.COMPLETED);
        assertThat(record("ZF-IT-ORDER").source().updatedAt().toLocalDateTime()).hasToString("2026-03-01T15:30:02");
        assertAllAcked();
    }

    @Test
    void aMessageTheHubDiedBeforeAckingIsRedeliveredAndStaysOneVersion() throws Exception {
        dieAfterNextSubmit.set(true);
        int before = submits.get();
        publish(payment("ZF-IT-KILL", "已支付", "2026-03-02 09:00:00"));
        // Queued, then the hub went down before the ack: the message is back in the queue, unacked.
        await().atMost(Duration.ofSeconds(30)).until(() -> camel.getRouteController()
                .getRouteStatus(PublicFundsRoute.ROUTE_ID) == ServiceStatus.Stopped);
        assertThat(ready()).as("the unacked message is back in the queue").isEqualTo(1);
        assertThat(versions("ZF-IT-KILL")).isEqualTo(1);

        camel.getRouteController().startRoute(PublicFundsRoute.ROUTE_ID); // the hub comes back
        await().atMost(Duration.ofSeconds(30)).until(() -> submits.get() - before >= 2 && queueDrained());
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
        await("at most 3 attempts in 2 s more").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> submits.get() - before <= tried + 3);

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

    @Test
    void anyOtherFailureOfTheHandOverBacksOffTooInsteadOfARequeueLoop() throws Exception {
        otherFailure.set(new IllegalStateException("the hand-over broke (test)"));
        int before = submits.get();
        publish(payment("ZF-IT-OTHER", "已支付", "2026-03-04 09:00:00"));
        await().atMost(Duration.ofSeconds(30)).until(() -> submits.get() - before >= 3);
        assertThat(monitor.state(ADAPTER).failing()).isTrue();
        assertThat(monitor.state(ADAPTER).lastError()).contains("IllegalStateException", "the hand-over broke");
        int tried = submits.get() - before;
        // Backoff 200 ms doubling to 1 s: a requeue loop would make hundreds of attempts in 2 s.
        await("at most 3 attempts in 2 s more").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> submits.get() - before <= tried + 3);
        assertThat(versions("ZF-IT-OTHER")).isZero();

        otherFailure.set(null);
        await().atMost(Duration.ofSeconds(30)).until(() -> versions("ZF-IT-OTHER") == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> !monitor.state(ADAPTER).failing());
        assertAllAcked();
    }

    @Test
    void aPersonPayeeIsStoredMaskedAndHashedAndItsIdReachesNoLogNorTable(CapturedOutput output) throws Exception {
        String clearId = "11010519491231002X";
        String body = payment("ZF-IT-PERSON", "已支付", "2026-03-05 09:00:00").replace(
                "{\"type\": \"ORG\", \"name\": \"某某工程有限公司\", \"creditCode\": \"91350100M000100Y43\",",
                "{\"type\": \"PERSON\", \"name\": \"张某某\", \"idNo\": \"" + clearId + "\",");
        assertThat(body).contains(clearId);
        publish(body);
        // A PERSON payee with a wrong check character: quarantined, its reason masked.
        publish(payment("ZF-IT-PERSON-BAD", "已支付", "2026-03-05 09:00:00").replace(
                "{\"type\": \"ORG\", \"name\": \"某某工程有限公司\", \"creditCode\": \"91350100M000100Y43\",",
                "{\"type\": \"PERSON\", \"name\": \"李某某\", \"idNo\": \"370702198503150011\","));
        await().atMost(Duration.ofSeconds(30)).until(() -> versions("ZF-IT-PERSON") == 1 && hub.queryForObject(
                "SELECT COUNT(*) FROM quarantine WHERE adapter = ? AND source_key = 'ZF-IT-PERSON-BAD'", Integer.class,
                ADAPTER) == 1);
        CanonicalRecord r = record("ZF-IT-PERSON");
        assertThat(r.party().idMasked()).isEqualTo("110105********002X");
        assertThat(r.party().idHash()).hasSize(64);
        assertAllAcked();

        // The hub's log of this run and every text column it wrote hold no resident ID in clear.
        List<String> texts = new ArrayList<>();
        texts.addAll(hub.queryForList("SELECT body FROM record", String.class));
        texts.addAll(hub.queryForList("SELECT body FROM record_version", String.class));
        hub.queryForList("SELECT source_key, origin, field, reason FROM quarantine")
                .forEach(m -> texts.add(m.values().toString()));
        texts.add(output.getAll());
        assertThat(output.getAll()).as("the hub logged this run").contains("public-funds");
        for (String text : texts) {
            assertThat(ResidentIds.findClear(text)).as("resident IDs in clear (masked here)")
                    .extracting(ResidentIds::mask).isEmpty();
        }
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
