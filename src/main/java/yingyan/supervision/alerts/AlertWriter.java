package yingyan.supervision.alerts;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.Domain;
import yingyan.store.PgCopy;
import yingyan.supervision.Finding;
import yingyan.supervision.Input;

/**
 * Turns rule outcomes into alert changes, idempotently: a finding for a key without a live alert raises one; a
 * finding that differs from the key's live alert updates it (same alertId; RESOLVED when its {@code resolvedAt}
 * was just set); no finding clears the key's live alert; anything else changes nothing, so evaluating the same
 * versions again writes nothing. Each change is an {@code alert_event} with the alert as it became.
 *
 * <p>Writers serialise on the {@code alert_head} row from their first event seq to their commit, so the alert
 * feed's seqs become visible in commit order, and a follower, a clock pass and a job never both change one
 * alert on stale reads. The live alerts are read once without the lock: a page of outcomes that changes nothing
 * (most of a clock pass) takes no lock and no transaction.
 */
@Component
class AlertWriter {
    private static final int IN_CHUNK = 500;
    private static final int PAIRS_CHUNK = 5000;

    enum Kind { RAISED, UPDATED, RESOLVED, CLEARED }

    /** What one write came to. */
    record Written(int raised, int updated, int resolved, int cleared) {
        int total() {
            return raised + updated + resolved + cleared;
        }
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final AlertMetrics metrics;
    private final BooleanSupplier copy;

    AlertWriter(JdbcTemplate jdbc, PlatformTransactionManager transactions, AlertMetrics metrics) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.metrics = metrics;
        this.copy = PgCopy.availableOn(jdbc);
    }

    /**
     * Stores the outcomes; {@code alsoInTransaction} (may be null) runs in the same transaction after them (a
     * follower's position, a job's progress), so either both are kept or neither. Without it, outcomes that
     * change nothing open no transaction.
     */
    Written write(List<Decided> decided, Instant now, Runnable alsoInTransaction) {
        if (alsoInTransaction == null && plan(decided, now, live(decided)).isEmpty()) {
            return new Written(0, 0, 0, 0);
        }
        return tx.execute(s -> {
            jdbc.update("UPDATE alert_head SET writes = writes + 1 WHERE id = 1");
            List<Decided> current = stillCurrent(decided);
            List<Change> changes = plan(current, now, live(current));
            Written w = apply(changes, now);
            if (alsoInTransaction != null) {
                alsoInTransaction.run();
            }
            return w;
        });
    }

    /**
     * Clears every live alert of {@code rule} computed with another version than {@code version} (the end of a
     * re-evaluation job: what no record carried over is no longer found). Runs in the caller's transaction.
     */
    int clearOtherVersions(String rule, int version, Instant now) {
        jdbc.update("UPDATE alert_head SET writes = writes + 1 WHERE id = 1");
        List<StoredAlert> old = jdbc.query("SELECT " + StoredAlert.COLUMNS + " FROM alert WHERE rule = ?"
                + " AND open_key IS NOT NULL AND rule_version <> ?", StoredAlert.ROW, rule, version);
        List<Change> changes = old.stream().map(a -> new Change(Kind.CLEARED, a, null, null)).toList();
        return apply(changes, now).cleared();
    }

    /** A change to make: the alert before (null for a raise), the finding after (null for a clear). */
    private record Change(Kind kind, StoredAlert before, Finding finding, Placement placement) {
    }

    /** Where a finding's alert belongs: the newest input's record, and every input's region. */
    private record Placement(Domain domain, String regionCode, String departmentCode, Map<String, String> regions) {
    }

    /** Drops outcomes of records that have a newer version than the one evaluated (it is evaluated in its turn). */
    private List<Decided> stillCurrent(List<Decided> decided) {
        Set<String> ids = new HashSet<>();
        decided.forEach(d -> ids.add(d.recordId()));
        Map<String, Long> seqs = new HashMap<>();
        inChunks(ids, (marks, chunk) -> jdbc.query("SELECT record_id, version_seq FROM record WHERE record_id IN ("
                + marks + ")", rs -> {
            seqs.put(rs.getString(1), rs.getLong(2));
        }, chunk));
        return decided.stream().filter(d -> Objects.equals(seqs.get(d.recordId()), d.versionSeq())).toList();
    }

    /**
     * The live alerts of the outcomes' (rule, key)s, by rule and key. On PostgreSQL the pairs go as two arrays
     * joined to the live-alert index (below). Elsewhere each chunk of keys is also bounded by its
     * least and greatest key, as the database orders them (MIN and MAX of the keys, so in its collation): the
     * range keeps the index scan to the chunk's keys whatever the planner knows. Without it PostgreSQL, with no
     * statistics on a growing {@code alert} table (autovacuum off or not yet run), read every live alert of the
     * rule for each chunk: a clock pass grew with the square of its alerts.
     */
    private Map<String, StoredAlert> live(List<Decided> decided) {
        Map<String, Set<String>> keysByRule = new LinkedHashMap<>();
        decided.forEach(d -> keysByRule.computeIfAbsent(d.rule().id(), r -> new HashSet<>()).add(d.outcome().key()));
        Map<String, StoredAlert> out = new HashMap<>();
        if (copy.getAsBoolean()) {
            // PostgreSQL: every (rule, key) of the write as two arrays, one index probe each (a nested loop over
            // the unnested pairs, whatever the planner knows of alert), instead of a statement per rule with three
            // copies of a few hundred keys as parameters.
            List<String> rules = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            keysByRule.forEach((rule, ks) -> ks.forEach(k -> {
                rules.add(rule);
                keys.add(k);
            }));
            for (int i = 0; i < keys.size(); i += PAIRS_CHUNK) {
                Object[] r = rules.subList(i, Math.min(keys.size(), i + PAIRS_CHUNK)).toArray();
                Object[] k = keys.subList(i, Math.min(keys.size(), i + PAIRS_CHUNK)).toArray();
                jdbc.query(c -> {
                    PreparedStatement ps = c.prepareStatement("SELECT " + StoredAlert.COLUMNS + " FROM alert"
                            + " WHERE (rule, open_key) IN (SELECT r, k FROM unnest(?::text[], ?::text[]) AS u(r, k))");
                    ps.setArray(1, c.createArrayOf("text", r));
                    ps.setArray(2, c.createArrayOf("text", k));
                    return ps;
                }, StoredAlert.ROW).forEach(a -> out.put(a.rule() + "\u0000" + a.key(), a));
            }
            return out;
        }
        keysByRule.forEach((rule, keys) -> inChunks(keys, (marks, chunk) -> {
            String values = String.join(",", Collections.nCopies(chunk.length, "(?)"));
            List<Object> args = new ArrayList<>(3 * chunk.length + 1);
            args.add(rule);
            args.addAll(List.of(chunk));
            args.addAll(List.of(chunk));
            args.addAll(List.of(chunk));
            jdbc.query("SELECT " + StoredAlert.COLUMNS + " FROM alert WHERE rule = ?"
                            + " AND open_key >= (SELECT MIN(k) FROM (VALUES " + values + ") lo(k))"
                            + " AND open_key <= (SELECT MAX(k) FROM (VALUES " + values + ") hi(k))"
                            + " AND open_key IN (" + marks + ")", StoredAlert.ROW, args.toArray())
                    .forEach(a -> out.put(a.rule() + "\u0000" + a.key(), a));
        }));
        return out;
    }

    private List<Change> plan(List<Decided> decided, Instant now, Map<String, StoredAlert> live) {
        // The last outcome of a (rule, key) wins: a page holding several records of one set decides the set once.
        Map<String, Decided> last = new LinkedHashMap<>();
        decided.forEach(d -> last.put(d.rule().id() + "\u0000" + d.outcome().key(), d));
        List<Change> changes = new ArrayList<>();
        for (Map.Entry<String, Decided> e : last.entrySet()) {
            Decided d = e.getValue();
            StoredAlert before = live.get(e.getKey());
            if (d.outcome().finding().isEmpty()) {
                if (before != null) {
                    changes.add(new Change(Kind.CLEARED, before, null, null));
                }
                continue;
            }
            Finding f = d.outcome().finding().get();
            Placement p = placement(f, d);
            if (before == null) {
                changes.add(new Change(Kind.RAISED, null, f, p));
            } else if (!same(before, f, p)) {
                boolean resolvedNow = before.resolvedAt() == null && f.resolvedAt() != null;
                changes.add(new Change(resolvedNow ? Kind.RESOLVED : Kind.UPDATED, before, f, p));
            }
        }
        return changes;
    }

    private static boolean same(StoredAlert a, Finding f, Placement p) {
        return a.ruleVersion() == f.ruleVersion() && a.level() == f.level() && a.raisedAt().equals(f.raisedAt())
                && Objects.equals(a.resolvedAt(), f.resolvedAt()) && a.message().equals(f.message())
                && a.calendarMissing() == f.calendarMissing() && Objects.equals(a.calendarVersion(), f.calendarVersion())
                && a.domain() == p.domain() && a.regionCode().equals(p.regionCode())
                && Objects.equals(a.departmentCode(), p.departmentCode()) && inputKeys(a.inputs()).equals(inputKeys(f.inputs()));
    }

    /** Inputs compared by instant, not by how the offset was written. */
    private static List<String> inputKeys(List<Input> inputs) {
        return inputs.stream().map(i -> i.recordId() + "|" + (i.updatedAt() == null ? "" : i.updatedAt().toInstant())
                + "|" + i.payloadSha256()).toList();
    }

    private Placement placement(Finding f, Decided d) {
        Map<String, CanonicalRecord> records = new HashMap<>(d.seen());
        List<String> missing = f.recordIds().stream().filter(id -> !records.containsKey(id)).distinct().toList();
        if (!missing.isEmpty()) {
            inChunks(missing, (marks, chunk) -> jdbc.query("SELECT record_id, body FROM record WHERE record_id IN ("
                    + marks + ")", rs -> {
                records.put(rs.getString(1), CanonicalJson.read(rs.getString(2)));
            }, chunk));
        }
        CanonicalRecord newest = f.inputs().stream()
                .filter(i -> records.containsKey(i.recordId()))
                .max(Comparator.comparing((Input i) -> i.updatedAt().toInstant()).thenComparing(Input::recordId))
                .map(i -> records.get(i.recordId()))
                .orElse(records.get(d.recordId()));
        Map<String, String> regions = new LinkedHashMap<>();
        for (String id : f.recordIds()) {
            CanonicalRecord r = records.get(id);
            regions.put(id, r == null ? newest.regionCode() : r.regionCode());
        }
        return new Placement(newest.domain(), newest.regionCode(),
                newest.department() == null ? null : newest.department().code(), regions);
    }

    /**
     * Makes the changes set-based: every raise of the write at once (on PostgreSQL their row numbers taken from the
     * identity's sequence and the rows by {@code COPY}; elsewhere one batch, the numbers read back by alert id, a
     * few hundred per query), every update and clear in one batch each, then the alerts' records and events, on
     * PostgreSQL by {@code COPY}. Seqs are handed out in the changes' order, as one at a time did.
     */
    private Written apply(List<Change> changes, Instant now) {
        if (changes.isEmpty()) {
            return new Written(0, 0, 0, 0);
        }
        long seq = jdbc.queryForObject("SELECT last_seq FROM alert_head WHERE id = 1", Long.class);
        OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
        boolean viaCopy = copy.getAsBoolean();
        List<StoredAlert> afters = new ArrayList<>(changes.size());
        List<Object[]> inserts = new ArrayList<>();
        List<Object[]> updates = new ArrayList<>();
        List<Object[]> clears = new ArrayList<>();
        for (Change c : changes) {
            seq++;
            StoredAlert after = switch (c.kind()) {
                case RAISED -> raise(c.finding(), c.placement(), seq);
                case UPDATED, RESOLVED -> update(c.before(), c.finding(), c.placement(), seq);
                case CLEARED -> clear(c.before(), now, seq);
            };
            afters.add(after);
            switch (c.kind()) {
                case RAISED -> inserts.add(viaCopy ? null : new Object[]{after.alertId(), after.rule(), after.ruleVersion(),
                        after.level().name(), after.key(), after.key(), after.domain().name(), after.regionCode(),
                        after.departmentCode(), utc(after.raisedAt()), utc(after.resolvedAt()), after.calendarMissing(),
                        after.calendarVersion(), CanonicalJson.write(after.recordIds()),
                        CanonicalJson.write(after.inputs()), after.message(), after.lastSeq()});
                case UPDATED, RESOLVED -> updates.add(new Object[]{after.ruleVersion(), after.level().name(),
                        after.domain().name(), after.regionCode(), after.departmentCode(), utc(after.raisedAt()),
                        utc(after.resolvedAt()), after.calendarMissing(), after.calendarVersion(),
                        CanonicalJson.write(after.recordIds()), CanonicalJson.write(after.inputs()), after.message(),
                        after.lastSeq(), after.num()});
                case CLEARED -> clears.add(new Object[]{utc(now), after.lastSeq(), after.num()});
            }
        }
        if (!inserts.isEmpty() && viaCopy) {
            // Row numbers taken from the identity's sequence first, then every raise in one COPY.
            List<Long> nums = new ArrayList<>(jdbc.queryForList("SELECT nextval(pg_get_serial_sequence('alert', 'num'))"
                    + " FROM generate_series(1, ?)", Long.class, inserts.size()));
            Collections.sort(nums);
            int next = 0;
            PgCopy rows = PgCopy.rows();
            for (int i = 0; i < afters.size(); i++) {
                StoredAlert a = afters.get(i);
                if (changes.get(i).kind() != Kind.RAISED) {
                    continue;
                }
                a = withNum(a, nums.get(next++));
                afters.set(i, a);
                rows.row(a.num(), a.alertId(), a.rule(), a.ruleVersion(), a.level().name(), a.key(), a.key(),
                        a.domain().name(), a.regionCode(), a.departmentCode(), a.raisedAt(), a.resolvedAt(), null,
                        a.calendarMissing(), a.calendarVersion(), CanonicalJson.write(a.recordIds()),
                        CanonicalJson.write(a.inputs()), a.message(), a.lastSeq());
            }
            rows.into(jdbc, "alert (num, alert_id, rule, rule_version, alert_level, alert_key, open_key, domain,"
                    + " region_code, department_code, raised_at, resolved_at, cleared_at, calendar_missing,"
                    + " calendar_version, record_ids, inputs, message, last_seq)");
        } else if (!inserts.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO alert (alert_id, rule, rule_version, alert_level, alert_key, open_key, domain,"
                    + " region_code, department_code, raised_at, resolved_at, cleared_at, calendar_missing,"
                    + " calendar_version, record_ids, inputs, message, last_seq)"
                    + " VALUES (?,?,?,?,?,?,?,?,?,?,?,NULL,?,?,?,?,?,?)", inserts);
            Map<String, Long> nums = new HashMap<>();
            inChunks(afters.stream().filter(a -> a.num() == 0).map(StoredAlert::alertId).toList(), (marks, chunk) ->
                    jdbc.query("SELECT alert_id, num FROM alert WHERE alert_id IN (" + marks + ")", rs -> {
                        nums.put(rs.getString(1), rs.getLong(2));
                    }, chunk));
            afters.replaceAll(a -> a.num() == 0 ? withNum(a, nums.get(a.alertId())) : a);
        }
        if (!updates.isEmpty()) {
            jdbc.batchUpdate("UPDATE alert SET rule_version = ?, alert_level = ?, domain = ?, region_code = ?,"
                    + " department_code = ?, raised_at = ?, resolved_at = ?, calendar_missing = ?,"
                    + " calendar_version = ?, record_ids = ?, inputs = ?, message = ?, last_seq = ? WHERE num = ?",
                    updates);
            jdbc.batchUpdate("DELETE FROM alert_record WHERE alert_num = ?",
                    updates.stream().map(u -> new Object[]{u[u.length - 1]}).toList());
        }
        if (!clears.isEmpty()) {
            jdbc.batchUpdate("UPDATE alert SET cleared_at = ?, open_key = NULL, last_seq = ? WHERE num = ?", clears);
        }

        int raised = 0;
        int updated = 0;
        int resolved = 0;
        int cleared = 0;
        List<Runnable> counts = new ArrayList<>();
        List<Object[]> records = new ArrayList<>();
        List<Object[]> events = new ArrayList<>(changes.size());
        for (int i = 0; i < changes.size(); i++) {
            Change c = changes.get(i);
            StoredAlert after = afters.get(i);
            switch (c.kind()) {
                case RAISED -> {
                    raised++;
                    counts.add(() -> metrics.raised(after));
                    if (after.resolvedAt() != null) {
                        resolved++;
                        counts.add(() -> metrics.resolved(after));
                    }
                }
                case RESOLVED -> {
                    resolved++;
                    counts.add(() -> metrics.resolved(after));
                }
                case UPDATED -> updated++;
                case CLEARED -> {
                    cleared++;
                    counts.add(() -> metrics.cleared(after));
                }
            }
            if (c.placement() != null) {
                c.placement().regions().forEach((id, region) -> records.add(new Object[]{after.num(), id, region}));
            }
            events.add(new Object[]{after.lastSeq(), after.num(), c.kind().name(), at,
                    CanonicalJson.write(after.toAlert())});
        }
        if (copy.getAsBoolean()) {
            PgCopy rows = PgCopy.rows();
            records.forEach(rows::row);
            if (!rows.isEmpty()) {
                rows.into(jdbc, "alert_record (alert_num, record_id, region_code)");
            }
            PgCopy log = PgCopy.rows();
            events.forEach(log::row);
            log.into(jdbc, "alert_event (seq, alert_num, kind, at, body)");
        } else {
            jdbc.batchUpdate("INSERT INTO alert_record (alert_num, record_id, region_code) VALUES (?,?,?)", records);
            jdbc.batchUpdate("INSERT INTO alert_event (seq, alert_num, kind, at, body) VALUES (?,?,?,?,?)", events);
        }
        jdbc.update("UPDATE alert_head SET last_seq = ? WHERE id = 1", seq);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    counts.forEach(Runnable::run);
                    metrics.changed();
                }
            });
        }
        return new Written(raised, updated, resolved, cleared);
    }

    /** The alert a finding raises, its row number not yet known (0). */
    private static StoredAlert raise(Finding f, Placement p, long seq) {
        return new StoredAlert(0, "a-" + UUID.randomUUID().toString().replace("-", ""), f.rule(),
                f.ruleVersion(), f.level(), f.key(), p.domain(), p.regionCode(), p.departmentCode(), f.raisedAt(),
                f.resolvedAt(), null, f.calendarMissing(), f.calendarVersion(), f.recordIds(), f.inputs(),
                f.message(), seq);
    }

    private static StoredAlert update(StoredAlert b, Finding f, Placement p, long seq) {
        return new StoredAlert(b.num(), b.alertId(), b.rule(), f.ruleVersion(), f.level(), b.key(),
                p.domain(), p.regionCode(), p.departmentCode(), f.raisedAt(), f.resolvedAt(), null,
                f.calendarMissing(), f.calendarVersion(), f.recordIds(), f.inputs(), f.message(), seq);
    }

    private static StoredAlert clear(StoredAlert b, Instant now, long seq) {
        return new StoredAlert(b.num(), b.alertId(), b.rule(), b.ruleVersion(), b.level(), b.key(), b.domain(),
                b.regionCode(), b.departmentCode(), b.raisedAt(), b.resolvedAt(), now, b.calendarMissing(),
                b.calendarVersion(), b.recordIds(), b.inputs(), b.message(), seq);
    }

    private static StoredAlert withNum(StoredAlert a, long num) {
        return new StoredAlert(num, a.alertId(), a.rule(), a.ruleVersion(), a.level(), a.key(), a.domain(),
                a.regionCode(), a.departmentCode(), a.raisedAt(), a.resolvedAt(), a.clearedAt(), a.calendarMissing(),
                a.calendarVersion(), a.recordIds(), a.inputs(), a.message(), a.lastSeq());
    }

    private static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    interface ChunkQuery {
        void run(String marks, Object[] chunk);
    }

    static void inChunks(Collection<String> values, ChunkQuery query) {
        List<String> all = new ArrayList<>(values);
        for (int i = 0; i < all.size(); i += IN_CHUNK) {
            List<String> chunk = all.subList(i, Math.min(all.size(), i + IN_CHUNK));
            query.run(String.join(",", Collections.nCopies(chunk.size(), "?")), chunk.toArray());
        }
    }
}
