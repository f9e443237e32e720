package yingyan.supervision.alerts;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.Status;
import yingyan.store.PgCopy;
import yingyan.supervision.Rule;
import yingyan.supervision.WorkingCalendar;

/**
 * {@code supervision_record}: what set rules look records up by and which cases the clock revisits, and when
 * ({@code clock_next}), from each record's current version. Written by the follower in the transaction that moves
 * its position past the page (a set rule sees the records of its own page through {@link PageSets}); rewriting a
 * row is harmless.
 */
@Component
class SupervisionIndex {
    private static final String COLUMNS = "record_id, domain, department_code, credit_code, id_hash, is_open, clock_next";

    private final JdbcTemplate jdbc;
    private final BooleanSupplier copy;

    SupervisionIndex(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.copy = PgCopy.availableOn(jdbc);
    }

    /**
     * The index rows of the records' current versions (the last of a record id wins), evaluated at {@code now} with
     * the time-dependent rules {@code timed}; computed in parallel.
     */
    static List<Object[]> rows(List<CanonicalRecord> records, List<Rule> timed, WorkingCalendar calendar, Instant now) {
        Map<String, CanonicalRecord> byId = new LinkedHashMap<>();
        records.forEach(r -> byId.put(r.recordId(), r));
        return new ArrayList<>(byId.values()).parallelStream().map(r -> {
            Instant next = nextCheck(r, timed, calendar, now);
            return new Object[]{r.recordId(), r.domain().name(),
                    r.department() == null ? null : r.department().code(),
                    r.party() == null ? null : r.party().creditCode(),
                    r.party() == null ? null : r.party().idHash(), r.status() == Status.OPEN,
                    next == null ? null : next.atOffset(ZoneOffset.UTC)};
        }).toList();
    }

    /**
     * Replaces the rows of their record ids, in the caller's transaction. On PostgreSQL the rows are {@code COPY}ed
     * into a temporary table and upserted by one {@code INSERT … ON CONFLICT}: a {@code DELETE … IN} of a page's ids
     * was planned, on a table without statistics (autovacuum off or not yet run), as a scan of the whole index table
     * comparing every row with every id, and the follower grew slower with every record it had indexed. Elsewhere
     * chunks of {@code DELETE … IN} and a JDBC batch.
     */
    void write(List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        if (copy.getAsBoolean()) {
            PgCopy values = PgCopy.rows();
            rows.forEach(r -> values.row(r[0], r[1], r[2], r[3], r[4], r[5],
                    r[6] == null ? null : ((OffsetDateTime) r[6]).toInstant()));
            // Kept by the connection, emptied at each commit of a transaction that used it.
            jdbc.execute("CREATE TEMPORARY TABLE IF NOT EXISTS supervision_record_page (LIKE supervision_record)"
                    + " ON COMMIT DELETE ROWS");
            values.into(jdbc, "supervision_record_page (" + COLUMNS + ")");
            jdbc.update("INSERT INTO supervision_record (" + COLUMNS + ") SELECT " + COLUMNS
                    + " FROM supervision_record_page ON CONFLICT (record_id) DO UPDATE SET domain = EXCLUDED.domain,"
                    + " department_code = EXCLUDED.department_code, credit_code = EXCLUDED.credit_code,"
                    + " id_hash = EXCLUDED.id_hash, is_open = EXCLUDED.is_open, clock_next = EXCLUDED.clock_next");
            return;
        }
        List<String> ids = rows.stream().map(r -> (String) r[0]).toList();
        AlertWriter.inChunks(ids, (marks, chunk) ->
                jdbc.update("DELETE FROM supervision_record WHERE record_id IN (" + marks + ")", chunk));
        jdbc.batchUpdate("INSERT INTO supervision_record (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?)", rows);
    }

    /**
     * When the clock must evaluate the record again, having evaluated it at {@code after}: the first instant later
     * than {@code after} at which a time-dependent rule's outcome for it changes; {@code after} itself (due at the
     * next pass) when a rule cannot say or fails to; null when nothing will change with time, or the case is not
     * open (the clock visits open cases only).
     */
    static Instant nextCheck(CanonicalRecord r, List<Rule> timed, WorkingCalendar calendar, Instant after) {
        if (r.status() != Status.OPEN) {
            return null;
        }
        Instant next = null;
        for (Rule rule : timed) {
            if (!rule.domains().contains(r.domain())) {
                continue;
            }
            List<Instant> changes;
            try {
                changes = rule.changesAt(r, calendar);
            } catch (RuntimeException e) {
                changes = null;
            }
            if (changes == null) {
                return after;
            }
            for (Instant t : changes) {
                if (t.isAfter(after) && (next == null || t.isBefore(next))) {
                    next = t;
                }
            }
        }
        return next;
    }
}
