package yingyan.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import yingyan.audit.Verifier;
import yingyan.audit.VerifyReport;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.Domain;
import yingyan.feed.FeedFixtures;
import yingyan.quarantine.QuarantineStore;
import yingyan.spi.Payloads;
import yingyan.store.RecordStore;

/**
 * Retention deletes what is old and settled and nothing else: settled delivery-ledger rows from the oldest
 * end up to the first one still owed, bodies of batches answered long ago (not of a FAILED batch, which may be
 * retried), released quarantine entries and remembered files past their time. What is pending, owed or recent
 * stays, the history is untouched, and the verifier still finds the ledger consistent.
 */
@SpringBootTest(properties = "hub.retention.chunk-size=100")
@ActiveProfiles("test")
class RetentionTest {
    @Autowired
    Retention retention;
    @Autowired
    RecordStore store;
    @Autowired
    QuarantineStore quarantine;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DataSource dataSource;
    @Autowired
    MeterRegistry meters;

    @Test
    void oldSettledRowsGo_pendingOwedAndRecentOnesStay_andTheVerifierStillFindsTheLedgerConsistent() throws Exception {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        OffsetDateTime old = now.minusDays(400);
        store.apply(List.of(rec("RT-A", 1), rec("RT-B", 1), rec("RT-C", 1)));
        store.apply(List.of(rec("RT-A", 2)));
        store.apply(List.of(rec("RT-D", 1)));
        long a1 = seq("RT-A", 0);
        long b1 = seq("RT-B", 0);
        long c1 = seq("RT-C", 0);
        long a2 = seq("RT-A", 1);
        long d1 = seq("RT-D", 0);

        batch("rt-old", "DONE", old);
        batch("rt-recent", "DONE", now);
        batch("rt-failed", "FAILED", old);
        // As the sender leaves them: A1 superseded by A2 before it was sent, B1 and A2 accepted, C1 rejected
        // (still owed: its record's newest version), D1 pending.
        jdbc.update("UPDATE province_delivery SET state = 'SUPERSEDED', superseded_by = ?, since = ? WHERE seq = ?",
                a2, old, a1);
        jdbc.update("UPDATE province_delivery SET state = 'ACCEPTED', batch_id = 'rt-old', accepted_at = ?, since = ?"
                + " WHERE seq IN (?, ?)", old, old, b1, a2);
        jdbc.update("UPDATE province_delivery SET state = 'REJECTED', batch_id = 'rt-old', reject_code = 'E1',"
                + " reject_reason = 'bad', since = ? WHERE seq = ?", old, c1);

        long releasedLongAgo = quarantined("released long ago");
        long releasedLately = quarantined("released lately");
        long openLongAgo = quarantined("open long ago");
        jdbc.update("UPDATE quarantine SET state = 'RELEASED', released_at = ? WHERE id = ?", old, releasedLongAgo);
        jdbc.update("UPDATE quarantine SET state = 'RELEASED', released_at = ? WHERE id = ?", now, releasedLately);
        jdbc.update("UPDATE quarantine SET received_at = ?, last_seen_at = ? WHERE id = ?", old, old, openLongAgo);
        processed("cgjg_old.csv", old);
        processed("cgjg_new.csv", now);
        assertThat(verify().findings()).as("consistent before").isEmpty();

        Map<String, Long> done = retention.run();

        assertThat(done).containsEntry("province_delivery", 2L).containsEntry("province_batch_body", 1L)
                .containsEntry("released_quarantine", 1L).containsEntry("processed_file", 1L);
        assertThat(jdbc.queryForList("SELECT seq FROM province_delivery ORDER BY seq", Long.class))
                .as("pruned from the oldest end up to the rejected version still owed").containsExactly(c1, a2, d1);
        assertThat(jdbc.queryForObject("SELECT state FROM province_delivery WHERE seq = ?", String.class, d1))
                .isEqualTo("PENDING");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM record_version", Integer.class)).as("history").isEqualTo(5);
        assertThat(body("rt-old")).isNull();
        assertThat(body("rt-recent")).isNotNull();
        assertThat(body("rt-failed")).as("a failed batch may be retried byte-identical").isNotNull();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM province_batch", Integer.class)).isEqualTo(3);
        assertThat(jdbc.queryForList("SELECT id FROM quarantine ORDER BY id", Long.class))
                .containsExactly(releasedLately, openLongAgo);
        assertThat(jdbc.queryForList("SELECT file_name FROM processed_file", String.class)).containsExactly("cgjg_new.csv");

        VerifyReport report = verify();
        assertThat(report.findings()).as("verifier after retention").isEmpty();
        assertThat(report.checked()).containsEntry("province_delivery rows deleted by retention", 2L);
        assertThat(meters.counter("yingyan.retention.deleted", "what", "province_delivery").count()).isEqualTo(2.0);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_log WHERE actor = 'hub:retention'", Integer.class))
                .isEqualTo(1);

        assertThat(retention.run().values()).as("a second run finds nothing more").containsOnly(0L);
    }

    private static CanonicalRecord rec(String key, int version) {
        return FeedFixtures.rec(key, version, "370783", Domain.APPROVAL);
    }

    private long seq(String key, int nth) {
        return jdbc.queryForList("SELECT seq FROM record_version WHERE source_key = ? ORDER BY seq", Long.class, key)
                .get(nth);
    }

    private void batch(String id, String state, OffsetDateTime completed) {
        byte[] body = ("{\"batchId\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
        jdbc.update("INSERT INTO province_batch (batch_id, state, body, body_sha256, body_size, record_count, first_seq,"
                        + " last_seq, created_at, attempts, next_attempt_at, completed_at, http_status)"
                        + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", id, state, body, Payloads.sha256(body), body.length, 1,
                1, 1, completed, 1, completed, completed, "DONE".equals(state) ? 200 : 400);
    }

    private byte[] body(String batchId) {
        return jdbc.queryForObject("SELECT body FROM province_batch WHERE batch_id = ?", byte[].class, batchId);
    }

    private long quarantined(String what) {
        byte[] raw = what.getBytes(StandardCharsets.UTF_8);
        return quarantine.add("fixture", what, what, "(file)", what, Payloads.sha256(raw), raw, StandardCharsets.UTF_8);
    }

    private void processed(String name, OffsetDateTime at) {
        jdbc.update("INSERT INTO processed_file (adapter, file_name, file_size, sha256, queued, quarantined, processed_at)"
                + " VALUES ('procurement', ?, 1, ?, 1, 0, ?)", name, Payloads.sha256(name.getBytes(StandardCharsets.UTF_8)), at);
    }

    private VerifyReport verify() throws Exception {
        return new Verifier(dataSource).verify();
    }
}
