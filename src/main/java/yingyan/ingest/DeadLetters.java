package yingyan.ingest;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import yingyan.canonical.ResidentIds;
import yingyan.config.BrokerConfig;
import yingyan.config.HubProperties;
import yingyan.store.NewVersion;

/**
 * The broker's dead-letter queue as an operator sees it: what is in it (which queue each message came from,
 * which adapter's batch it carries and how many records, or why it cannot be read) and the one thing to do
 * after the cause is fixed: move a dead-lettered batch back to the ingest queue, where persist applies it
 * under the version rules like any other (a batch stored meanwhile comes back as counted duplicates).
 * Plain JMS, so it works the same on the embedded and a standalone Artemis.
 */
@Component
public class DeadLetters {
    /** The property Artemis puts on a dead-lettered message: the address it was sent to. */
    static final String ORIGINAL_ADDRESS = "_AMQ_ORIG_ADDRESS";
    /** Artemis-internal properties are not copied back: they would describe the dead-lettering, not the batch. */
    private static final String INTERNAL = "_AMQ_";
    /** What a JMS message id looks like here; anything else never reaches a selector. */
    private static final Pattern MESSAGE_ID = Pattern.compile("ID:[A-Za-z0-9:._-]{1,200}");

    private final ConnectionFactory factory;
    private final String deadLetterQueue;
    private final String ingestQueue;

    DeadLetters(ConnectionFactory factory, HubProperties hub,
                @Qualifier("brokerSettings") BrokerConfig.BrokerSettings broker) {
        this.factory = factory;
        this.deadLetterQueue = broker.getDeadLetterAddress();
        this.ingestQueue = hub.queues().ingest();
    }

    /** One dead-lettered message; {@code adapter}/{@code records} null when it is not a readable batch. */
    public record Letter(String messageId, String from, Instant sentAt, int deliveries, long bytes, String adapter,
                         Integer records, String problem) {
    }

    /** The outcome of a move: MOVED, NOT_FOUND or REFUSED (with why). */
    public record Moved(String messageId, String state, String detail) {
    }

    /** The oldest {@code limit} messages of the dead-letter queue, oldest first; nothing is consumed. */
    public List<Letter> list(int limit) {
        return browse(limit, true).letters;
    }

    /** How many messages the dead-letter queue holds, counted up to {@code cap}. */
    public long depth(int cap) {
        return browse(cap, false).count;
    }

    public String queueName() {
        return deadLetterQueue;
    }

    /**
     * Moves one dead-lettered batch back to the ingest queue, in one transacted session: it is taken off the
     * dead-letter queue only if the copy is queued, so it is never lost nor doubled.
     */
    public Moved requeue(String messageId) {
        if (messageId == null || !MESSAGE_ID.matcher(messageId).matches()) {
            return new Moved(messageId, "NOT_FOUND", "not a JMS message id (ID:...)");
        }
        String selector = "JMSMessageID = '" + messageId + "'";
        try (Connection c = factory.createConnection()) {
            c.start();
            // Looked at first without taking it: a refusal must not count as a failed delivery of the letter.
            try (Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                 QueueBrowser b = s.createBrowser(s.createQueue(deadLetterQueue), selector)) {
                var e = b.getEnumeration();
                if (!e.hasMoreElements()) {
                    return new Moved(messageId, "NOT_FOUND", "no such message in " + deadLetterQueue);
                }
                Message m = (Message) e.nextElement();
                String from = m.getStringProperty(ORIGINAL_ADDRESS);
                if (from != null && !from.equals(ingestQueue)) {
                    return new Moved(messageId, "REFUSED", "it came from " + from + ", not from " + ingestQueue
                            + ": only ingest batches are moved back");
                }
                if (!(m instanceof BytesMessage) && !(m instanceof TextMessage)) {
                    return new Moved(messageId, "REFUSED", "a " + m.getClass().getSimpleName()
                            + " is not an ingest batch");
                }
            }
            try (Session s = c.createSession(true, Session.SESSION_TRANSACTED);
                 MessageConsumer take = s.createConsumer(s.createQueue(deadLetterQueue), selector);
                 MessageProducer put = s.createProducer(s.createQueue(ingestQueue))) {
                Message m = take.receive(2000);
                if (m == null) {
                    s.rollback();
                    return new Moved(messageId, "NOT_FOUND", "taken off " + deadLetterQueue + " meanwhile");
                }
                Message copy = copy(s, m);
                put.setDeliveryMode(DeliveryMode.PERSISTENT);
                put.send(copy);
                s.commit();
                return new Moved(messageId, "MOVED", "back on " + ingestQueue + " as " + copy.getJMSMessageID());
            }
        } catch (JMSException e) {
            throw new IllegalStateException("the broker refused the move of " + messageId + ": " + e.getMessage(), e);
        }
    }

    private static Message copy(Session s, Message m) throws JMSException {
        Message copy;
        if (m instanceof BytesMessage b) {
            byte[] body = new byte[(int) b.getBodyLength()];
            b.readBytes(body);
            BytesMessage out = s.createBytesMessage();
            out.writeBytes(body);
            copy = out;
        } else {
            copy = s.createTextMessage(((TextMessage) m).getText());
        }
        for (Object name : Collections.list(m.getPropertyNames())) {
            String n = (String) name;
            if (!n.startsWith(INTERNAL) && !n.startsWith("JMSX")) {
                copy.setObjectProperty(n, m.getObjectProperty(n));
            }
        }
        return copy;
    }

    private record Browsed(List<Letter> letters, long count) {
    }

    private Browsed browse(int limit, boolean describe) {
        List<Letter> out = new ArrayList<>();
        long n = 0;
        try (Connection c = factory.createConnection()) {
            c.start();
            try (Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                 QueueBrowser browser = s.createBrowser(s.createQueue(deadLetterQueue))) {
                var e = browser.getEnumeration();
                while (n < limit && e.hasMoreElements()) {
                    Message m = (Message) e.nextElement();
                    n++;
                    if (describe) {
                        out.add(describe(m));
                    }
                }
            }
        } catch (JMSException e) {
            throw new IllegalStateException("cannot browse " + deadLetterQueue + ": " + e.getMessage(), e);
        }
        return new Browsed(out, n);
    }

    private static Letter describe(Message m) throws JMSException {
        String from = m.getStringProperty(ORIGINAL_ADDRESS);
        int deliveries = m.propertyExists("JMSXDeliveryCount") ? m.getIntProperty("JMSXDeliveryCount") : 0;
        Instant sent = m.getJMSTimestamp() == 0 ? null : Instant.ofEpochMilli(m.getJMSTimestamp());
        if (!(m instanceof BytesMessage b)) {
            long size = m instanceof TextMessage t && t.getText() != null ? t.getText().length() : 0;
            return new Letter(m.getJMSMessageID(), from, sent, deliveries, size, null, null,
                    "a " + (m instanceof TextMessage ? "text" : m.getClass().getSimpleName()) + " message, not a batch");
        }
        byte[] body = new byte[(int) b.getBodyLength()];
        b.readBytes(body);
        try {
            List<NewVersion> batch = QueuedBatch.decode(body);
            String adapter = batch.isEmpty() ? null : batch.get(0).system();
            return new Letter(m.getJMSMessageID(), from, sent, deliveries, body.length, adapter, batch.size(), null);
        } catch (Exception e) {
            return new Letter(m.getJMSMessageID(), from, sent, deliveries, body.length, null, null,
                    ResidentIds.maskAll("not a readable batch: " + e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }
}
