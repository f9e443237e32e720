package yingyan.quality;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalRecord;

/**
 * Keeps {@code quality_version} (V16) up with {@code record_version}: each applied version, in seq order, becomes
 * one narrow row (department, Beijing month of fetchedAt, lag, status, what it carries) read from its canonical
 * body once. Run by the {@code quality-index} route every {@code hub.quality.index-interval} and before each read
 * of the quality API. Writers on several nodes serialise on the {@code quality_cursor} row; a chunk and the
 * cursor's move commit together, so a crash counts nothing twice and skips nothing.
 */
@Component("qualityIndexer")
public class QualityIndexer {
    private static final Logger log = LoggerFactory.getLogger(QualityIndexer.class);
    static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final QualityProperties props;

    QualityIndexer(JdbcTemplate jdbc, PlatformTransactionManager txm, QualityProperties props) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(txm);
        this.props = props;
    }

    /** The route's tick: counts every version applied since the last run; a failure is logged, the next tick retries. */
    public void run() {
        try {
            int n = catchUp(Integer.MAX_VALUE);
            if (n > 0) {
                log.debug("quality: counted {} new record versions", n);
            }
        } catch (RuntimeException e) {
            log.warn("quality: counting new record versions failed, the next run goes on from where it stopped: {}",
                    e.toString());
        }
    }

    /** Counts up to {@code max} versions not counted yet, chunk by chunk; returns how many it counted. */
    public int catchUp(int max) {
        int done = 0;
        while (done < max) {
            int limit = Math.min(props.indexChunk(), max - done);
            Integer n = tx.execute(s -> chunk(limit));
            if (n == null || n == 0) {
                break;
            }
            done += n;
        }
        return done;
    }

    /** Versions applied but not counted yet (seqs above the cursor). */
    public long behind() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM record_version WHERE seq > (SELECT last_seq FROM"
                + " quality_cursor WHERE id = 1)", Long.class);
        return n == null ? 0 : n;
    }

    private int chunk(int limit) {
        Long last = jdbc.queryForObject("SELECT last_seq FROM quality_cursor WHERE id = 1 FOR UPDATE", Long.class);
        List<Object[]> rows = new ArrayList<>();
        long[] newest = {last};
        jdbc.query("SELECT seq, record_id, adapter, updated_at, fetched_at, body FROM record_version WHERE seq > ?"
                + " ORDER BY seq LIMIT ?", rs -> {
            long seq = rs.getLong(1);
            OffsetDateTime updated = rs.getObject(4, OffsetDateTime.class);
            OffsetDateTime fetched = rs.getObject(5, OffsetDateTime.class);
            rows.add(row(seq, rs.getString(2), rs.getString(3), updated, fetched, rs.getString(6)));
            newest[0] = Math.max(newest[0], seq);
        }, last, limit);
        if (rows.isEmpty()) {
            return 0;
        }
        jdbc.batchUpdate("INSERT INTO quality_version (seq, record_id, source_system, department_code, fetched_month,"
                + " fetched_at, lag_ms, status, present) VALUES (?,?,?,?,?,?,?,?,?)", rows);
        jdbc.update("UPDATE quality_cursor SET last_seq = ?, updated_at = ? WHERE id = 1", newest[0],
                OffsetDateTime.now(ZoneOffset.UTC));
        return rows.size();
    }

    private static Object[] row(long seq, String recordId, String system, OffsetDateTime updated,
                                OffsetDateTime fetched, String body) {
        String department = "(unreadable)";
        String status = "";
        String present = "|";
        try {
            CanonicalRecord r = CanonicalJson.read(body);
            department = r.department() == null || r.department().code() == null ? "(none)" : r.department().code();
            status = r.status() == null ? "" : r.status().name();
            present = Expectations.present(r);
        } catch (RuntimeException e) {
            // Stored bodies were validated canonical JSON; one that no longer reads is still counted, under no
            // department, rather than stopping the count for every later version.
            log.warn("quality: record version {} has a body that does not read as canonical JSON: {}", seq,
                    e.getClass().getSimpleName());
        }
        return new Object[]{seq, recordId, system, department, month(fetched).toString(), fetched,
                Duration.between(updated, fetched).toMillis(), status, present};
    }

    /** The Beijing month an instant falls in. */
    static YearMonth month(OffsetDateTime at) {
        return YearMonth.from(at.atZoneSameInstant(BEIJING));
    }
}
