package yingyan.testsupport;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import yingyan.canonical.CanonicalTime;
import yingyan.testsupport.NothingLost.Produced;

/**
 * The treasury's side of public-funds in a fault test: a durable queue of its own on the machine's RabbitMQ
 * (never {@code treasury.payments}), declared as the treasury would, and payments published to it persistent,
 * as the treasury does. Remembers each payment's newest {@code updatedAt} for {@link NothingLost}. Deleted on
 * close.
 */
public final class TreasuryQueue implements AutoCloseable {
    private static final DateTimeFormatter SOURCE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final LocalDateTime T0 = LocalDateTime.of(2026, 3, 1, 10, 0, 0);

    private final String host;
    private final int port;
    private final String queue;
    private final Connection connection;
    private final Channel channel;
    private final Map<String, Produced> produced = new LinkedHashMap<>();
    private int messages;

    public TreasuryQueue(String prefix) throws IOException, TimeoutException {
        String broker = Services.rabbitMq();
        host = broker.substring(0, broker.lastIndexOf(':'));
        port = Integer.parseInt(broker.substring(broker.lastIndexOf(':') + 1));
        queue = "treasury.payments." + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(host);
        f.setPort(port);
        f.setUsername(Services.rabbitUser());
        f.setPassword(Services.rabbitPassword());
        connection = f.newConnection("TreasuryQueue " + queue);
        channel = connection.createChannel();
        channel.queueDeclare(queue, true, false, false, null);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String queue() {
        return queue;
    }

    /** The hub's settings to consume this queue at {@code host:port} (the broker itself, or a gate in front). */
    public Map<String, Object> hubSettings(String host, int port) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("hub.adapters.public-funds.enabled", "true");
        p.put("hub.adapters.public-funds.addresses", host + ":" + port);
        p.put("hub.adapters.public-funds.username", Services.rabbitUser());
        p.put("hub.adapters.public-funds.password", Services.rabbitPassword());
        p.put("hub.adapters.public-funds.queue", queue);
        p.put("hub.adapters.public-funds.backoff-initial", "200ms");
        p.put("hub.adapters.public-funds.backoff-max", "1s");
        return p;
    }

    /**
     * Publishes payment {@code n} approved ({@code 已审核}, second {@code n} after 10:00) and, when {@code paid},
     * its update to {@code 已支付} a day later: two versions of one record.
     */
    public synchronized void pay(String prefix, int n, boolean paid) throws IOException {
        String payNo = String.format("%s-%06d", prefix, n);
        LocalDateTime approved = T0.plusSeconds(n);
        publish(payment(payNo, "已审核", approved, null));
        LocalDateTime newest = approved;
        if (paid) {
            newest = approved.plusDays(1);
            publish(payment(payNo, "已支付", newest, approved.plusDays(1).minusSeconds(2)));
        }
        produced.put("public-funds:" + payNo, Produced.at(newest.atOffset(CanonicalTime.BEIJING)));
    }

    /** Every payment published so far with its newest updatedAt. */
    public synchronized Map<String, Produced> produced() {
        return new LinkedHashMap<>(produced);
    }

    /** Messages published so far. */
    public synchronized int messages() {
        return messages;
    }

    /** Messages ready in the queue (an unacked one counts once its consumer has let go of it). */
    public long ready() throws IOException {
        return channel.messageCount(queue);
    }

    private void publish(String body) throws IOException {
        channel.basicPublish("", queue, MessageProperties.PERSISTENT_BASIC, body.getBytes(StandardCharsets.UTF_8));
        messages++;
    }

    private static String payment(String payNo, String status, LocalDateTime updatedAt, LocalDateTime paidAt) {
        String paid = paidAt == null ? "" : "\"paidAt\": \"" + paidAt.format(SOURCE_TIME) + "\", ";
        return "{\"payNo\": \"" + payNo + "\", \"region\": \"370700\", \"payerUnitCode\": \"106001\","
                + " \"payerUnitName\": \"潍坊市某某局\", \"payee\": {\"type\": \"ORG\", \"name\": \"某某工程有限公司\","
                + " \"creditCode\": \"91350100M000100Y43\", \"account\": \"6222****1234\"}, \"amount\": \"356000.00\","
                + " \"subjectCode\": \"2120303\", \"subjectName\": \"城乡社区公共设施\", \"purpose\": \"道路维修工程进度款\","
                + " \"mode\": \"直接支付\", \"approvedAt\": \"2026-03-01 10:00:00\", \"approver\": \"王五\", " + paid
                + "\"status\": \"" + status + "\", \"updatedAt\": \"" + updatedAt.format(SOURCE_TIME) + "\"}";
    }

    @Override
    public void close() throws IOException, TimeoutException {
        try {
            channel.queueDelete(queue);
        } finally {
            connection.close();
        }
    }
}
