package yingyan.supervision.alerts;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.Status;
import yingyan.supervision.Rule;
import yingyan.supervision.WorkingCalendar;

/**
 * {@code supervision_record}: what set rules look records up by and which cases the clock revisits, and when
 * ({@code clock_next}), from each record's current version. Written by the follower before it evaluates a page (so
 * a set sees the records of its own page); rewriting a row is harmless, so it may run ahead of the follower's
 * position after a crash.
 */
@Component
class SupervisionIndex {
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    SupervisionIndex(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
    }

    /** Indexes the records' current versions, evaluated at {@code now} with the time-dependent rules {@code timed}. */
    void put(List<CanonicalRecord> records, List<Rule> timed, WorkingCalendar calendar, Instant now) {
        Map<String, CanonicalRecord> byId = new LinkedHashMap<>();
        records.forEach(r -> byId.put(r.recordId(), r));
        List<Object[]> rows = new ArrayList<>();
        for (CanonicalRecord r : byId.values()) {
            Instant next = nextCheck(r, timed, calendar, now);
            rows.add(new Object[]{r.recordId(), r.domain().name(),
                    r.department() == null ? null : r.department().code(),
                    r.party() == null ? null : r.party().creditCode(),
                    r.party() == null ? null : r.party().idHash(), r.status() == Status.OPEN,
                    next == null ? null : next.atOffset(ZoneOffset.UTC)});
        }
        tx.executeWithoutResult(s -> {
            AlertWriter.inChunks(byId.keySet(), (marks, chunk) ->
                    jdbc.update("DELETE FROM supervision_record WHERE record_id IN (" + marks + ")", chunk));
            jdbc.batchUpdate("INSERT INTO supervision_record (record_id, domain, department_code, credit_code, id_hash,"
                    + " is_open, clock_next) VALUES (?,?,?,?,?,?,?)", rows);
        });
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
