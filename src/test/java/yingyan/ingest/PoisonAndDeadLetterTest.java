package yingyan.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.test.context.ActiveProfiles;
import yingyan.quarantine.QuarantineStore;
import yingyan.spi.IngestGateway;

/**
 * A record the database refuses every time is quarantined after its attempts without blocking the
 * rest of its batch or the queue (later messages are applied while it waits for its next attempt); a
 * message nobody can read ends in the dead-letter address, not deleted, and the one behind it is stored.
 */
@SpringBootTest(properties = {"hub.persist.split-after-attempts=2", "hub.broker.max-delivery-attempts=3",
        // a failed batch waits a second before it goes again: time enough for later ones to pass it
        "hub.broker.redelivery-delay-ms=1000", "hub.broker.max-redelivery-delay-ms=1000"})
@ActiveProfiles("test")
@Import(FixtureMapper.Config.class)
class PoisonAndDeadLetterTest {

    @Autowired
    IngestGateway gateway;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    QuarantineStore quarantine;
    @Autowired
    JmsTemplate jms;

    @Test
    void aPoisonRecordIsQuarantinedAndTheRestOfItsBatchIsStored() {
        String tooLong = "K" + "x".repeat(299); // longer than record.source_key allows
        gateway.submit(List.of(FixtureMapper.item("OK-1", "2026-03-01 10:00:00", "1.00"),
                FixtureMapper.item(tooLong, "2026-03-01 10:00:00", "1.00"),
                FixtureMapper.item("OK-2", "2026-03-01 10:00:00", "1.00")));
        gateway.submit(List.of(FixtureMapper.item("OK-3", "2026-03-01 10:00:00", "1.00")));

        await().atMost(Duration.ofSeconds(30)).until(() -> count("fixture:OK-1") + count("fixture:OK-2")
                + count("fixture:OK-3") == 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> quarantine.list("fixture", "OPEN", null, 100).stream()
                .anyMatch(e -> e.reason().startsWith("could not be stored")));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM record WHERE source_key LIKE 'Kxxx%'", Integer.class))
                .isZero();
        // The later message was not held up behind the failing one: it was applied first.
        assertThat(seq("fixture:OK-3")).isLessThan(seq("fixture:OK-1")).isLessThan(seq("fixture:OK-2"));
    }

    @Test
    void anUnreadableMessageIsDeadLetteredNotDeleted_andTheMessageBehindItIsStored() {
        jms.convertAndSend("yingyan.ingest", "this is not a batch");
        gateway.submit(List.of(FixtureMapper.item("BEHIND-1", "2026-03-01 10:00:00", "1.00")));
        jms.setReceiveTimeout(30_000);
        Object dead = jms.receiveAndConvert("DLQ");
        assertThat(dead).isEqualTo("this is not a batch");
        await().atMost(Duration.ofSeconds(30)).until(() -> count("fixture:BEHIND-1") == 1);
    }

    private long seq(String recordId) {
        return jdbc.queryForObject("SELECT MIN(seq) FROM record_version WHERE record_id = ?", Long.class, recordId);
    }

    private int count(String recordId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM record WHERE record_id = ?", Integer.class, recordId);
    }

}
