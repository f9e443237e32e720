package yingyan.store;

import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Savepoint;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import yingyan.audit.HashChain;
import yingyan.canonical.CanonicalRecord;

/**
 * The municipal database's records and their history. Applying is transactional and idempotent:
 * newest {@code source.updatedAt} wins, a late older version is ignored, an equal time with an equal
 * payload hash is a counted duplicate, an equal time with another hash is a counted conflict that the
 * later read wins, unless the record already had that hash at that time (a re-read after a crash: a
 * duplicate, so reading the same input twice never changes the outcome). Every applied version lands in
 * {@code record_version} with its lineage, once, as the next link of the history's hash chain
 * ({@link HashChain}).
 */
@Repository
public class RecordStore {
    private static final int IN_CHUNK = 500;
    /** How often a batch is decided again after another one stored one of its new records first. */
    private static final int MAX_ATTEMPTS = 3;

    private final JdbcTemplate jdbc;
    private final MeterRegistry meters;
    private final FlowMinutes flow;
    private final BooleanSupplier copy;

    public RecordStore(JdbcTemplate jdbc, MeterRegistry meters, FlowMinutes flow) {
        this.jdbc = jdbc;
        this.copy = PgCopy.availableOn(jdbc);
        this.meters = meters;
        this.flow = flow;
    }

    /** Applies a batch of records in one transaction (their canonical JSON written here); see {@link #applyVersions}. */
    @Transactional
    public ApplyOutcome apply(List<CanonicalRecord> records) {
        return applyVersions(records.stream().map(NewVersion::of).toList());
    }

    /**
     * Applies a batch in one transaction; versions of the same record inside it apply in batch order. Each
     * version's body is stored as it comes: the canonical JSON written once, where the record was normalised.
     */
    @Transactional
    public ApplyOutcome applyVersions(List<NewVersion> batch) {
        if (batch.isEmpty()) {
            return new ApplyOutcome(0, 0, 0, 0);
        }
        // A record new to the database is not row-locked while this batch decides (there is no row yet): a batch
        // applied at the same time (another persist consumer, another node) may store it between this batch's
        // read and its write, which then fails on the record's key. Back to before the read, and decide again:
        // the record is there now, and its version applies under the version rules as if the two had come one
        // after the other (a savepoint per batch: no error, no redelivery).
        for (int attempt = 1; ; attempt++) {
            Savepoint before = savepoint();
            try {
                return applyOnce(batch);
            } catch (DuplicateKeyException e) {
                if (before == null || attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                rollbackTo(before);
            }
        }
    }

    /** A savepoint in the current transaction; null without one (autocommit: nothing to go back to). */
    private Savepoint savepoint() {
        return jdbc.execute((ConnectionCallback<Savepoint>) c -> c.getAutoCommit() ? null : c.setSavepoint());
    }

    private void rollbackTo(Savepoint savepoint) {
        jdbc.execute((ConnectionCallback<Void>) c -> {
            c.rollback(savepoint);
            return null;
        });
    }

    private ApplyOutcome applyOnce(List<NewVersion> batch) {
        Map<String, Current> current = lockCurrent(batch);
        // Records stored before this batch, with their current version's seq (the one this batch may supersede).
        Map<String, Long> stored = new HashMap<>();
        current.forEach((id, c) -> stored.put(id, c.seq));
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<Version> toApply = new ArrayList<>();
        Map<String, int[]> perAdapter = new LinkedHashMap<>(); // applied, duplicates, stale, conflicts
        Set<String> appliedHere = new HashSet<>();
        for (NewVersion r : batch) {
            int[] c = perAdapter.computeIfAbsent(r.system(), k -> new int[4]);
            Current cur = current.get(r.recordId());
            Decision d = decide(cur, r);
            if (d == Decision.CONFLICT && alreadyApplied(r, appliedHere)) {
                // A content this record already had at this very second, read again (a file or page re-read
                // after a crash): applying it would flip the record back and forth and store every version twice.
                d = Decision.DUPLICATE;
            }
            switch (d) {
                case DUPLICATE -> c[1]++;
                case STALE -> c[2]++;
                case INSERT, NEWER, CONFLICT -> {
                    c[0]++;
                    if (d == Decision.CONFLICT) {
                        c[3]++;
                    }
                    toApply.add(new Version(r, d == Decision.CONFLICT));
                    appliedHere.add(versionKey(r));
                    current.put(r.recordId(), new Current(r.updatedAt(), r.payloadSha256(), 0));
                }
            }
        }
        writeVersions(toApply, stored, now);
        ApplyOutcome total = new ApplyOutcome(0, 0, 0, 0);
        for (Map.Entry<String, int[]> e : perAdapter.entrySet()) {
            int[] c = e.getValue();
            count(e.getKey(), c, batch);
            total = total.plus(new ApplyOutcome(c[0], c[1], c[2], c[3]));
        }
        return total;
    }

    private static Decision decide(Current cur, NewVersion r) {
        if (cur == null) {
            return Decision.INSERT;
        }
        int cmp = r.updatedAt().toInstant().compareTo(cur.updatedAt.toInstant());
        if (cmp > 0) {
            return Decision.NEWER;
        }
        if (cmp < 0) {
            return Decision.STALE;
        }
        return r.payloadSha256().equals(cur.payloadSha256) ? Decision.DUPLICATE : Decision.CONFLICT;
    }

    /**
     * Whether this exact version (record, source second, payload hash) was applied before, earlier in this
     * batch or in the history. Asked only for conflicts (an equal second with another hash), which are rare.
     */
    private boolean alreadyApplied(NewVersion r, Set<String> appliedHere) {
        if (appliedHere.contains(versionKey(r))) {
            return true;
        }
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM record_version WHERE record_id = ? AND updated_at = ?"
                + " AND payload_sha256 = ?", Integer.class, r.recordId(), r.updatedAt(), r.payloadSha256());
        return n != null && n > 0;
    }

    private static String versionKey(NewVersion r) {
        return r.recordId() + "|" + r.updatedAt().toInstant() + "|" + r.payloadSha256();
    }

    /** Reads and row-locks the current versions of the batch's records, so concurrent batches serialise per record. */
    private Map<String, Current> lockCurrent(List<NewVersion> batch) {
        Set<String> ids = new LinkedHashSet<>();
        batch.forEach(r -> ids.add(r.recordId()));
        // Locked in record_id order, every batch alike: two batches sharing records cannot each hold a lock the
        // other waits for (in the table's physical order they could, and PostgreSQL aborts one as a deadlock).
        List<String> all = new ArrayList<>(ids);
        Collections.sort(all);
        Map<String, Current> out = new HashMap<>();
        for (int i = 0; i < all.size(); i += IN_CHUNK) {
            List<String> chunk = all.subList(i, Math.min(all.size(), i + IN_CHUNK));
            String marks = String.join(",", Collections.nCopies(chunk.size(), "?"));
            jdbc.query("SELECT record_id, updated_at, payload_sha256, version_seq FROM record WHERE record_id IN ("
                            + marks + ") ORDER BY record_id FOR UPDATE",
                    rs -> {
                        out.put(rs.getString(1), new Current(rs.getObject(2, OffsetDateTime.class),
                                rs.getString(3), rs.getLong(4)));
                    }, chunk.toArray());
        }
        return out;
    }

    private void writeVersions(List<Version> versions, Map<String, Long> stored, OffsetDateTime now) {
        if (versions.isEmpty()) {
            return;
        }
        // Serialise version writers from their first seq to their commit, so seqs become visible in
        // order and the feed never passes a seq whose transaction commits later (V4__feed.sql). The same
        // row hands out the seqs and holds the head of the history's hash chain (V5__audit.sql).
        jdbc.update("UPDATE feed_lock SET writes = writes + 1 WHERE id = 1");
        ChainHead head = jdbc.queryForObject("SELECT last_seq, chain_head FROM feed_lock WHERE id = 1",
                (rs, i) -> new ChainHead(rs.getLong(1), rs.getString(2)));
        long[] seqs = insertHistory(versions, now, head);
        // The last version of a record in this batch is its current one.
        Map<String, Integer> lastIndex = new LinkedHashMap<>();
        for (int i = 0; i < versions.size(); i++) {
            lastIndex.put(versions.get(i).record.recordId(), i);
        }
        owedToProvince(versions, seqs, lastIndex, stored, now);
        List<Object[]> inserts = new ArrayList<>();
        List<Object[]> updates = new ArrayList<>();
        for (Map.Entry<String, Integer> e : lastIndex.entrySet()) {
            Version v = versions.get(e.getValue());
            NewVersion r = v.record;
            long seq = seqs[e.getValue()];
            if (stored.containsKey(r.recordId())) {
                updates.add(new Object[]{r.domain(), r.regionCode(), r.departmentCode(), r.system(), r.key(),
                        r.updatedAt(), r.payloadSha256(), seq, now, r.body(), r.recordId()});
            } else {
                inserts.add(new Object[]{r.recordId(), r.domain(), r.regionCode(), r.departmentCode(), r.system(),
                        r.key(), r.updatedAt(), r.payloadSha256(), seq, now, r.body()});
            }
        }
        // department_code (V18): what a person's department grants are checked against (web.Grants).
        insertRows("record", "record_id, domain, region_code, department_code, adapter, source_key, updated_at,"
                + " payload_sha256, version_seq, applied_at, body", inserts, null);
        if (!updates.isEmpty()) {
            jdbc.batchUpdate("UPDATE record SET domain = ?, region_code = ?, department_code = ?, adapter = ?,"
                    + " source_key = ?, updated_at = ?, payload_sha256 = ?, version_seq = ?, applied_at = ?, body = ?"
                    + " WHERE record_id = ?", updates);
        }
    }

    /**
     * The province delivery ledger (V3): every applied version is owed to the province, recorded in this
     * same transaction; a version still waiting when a newer one of its record arrives is superseded. A
     * version overtaken inside this batch is written superseded; of the versions applied before, only the
     * record's current one can still be waiting (each apply supersedes the one before it), so that one is
     * superseded by its seq: a primary-key update per record that existed, none for a new record (a
     * backlog is almost all new records). A version that went back to PENDING after a newer one arrived
     * (a batch released after a 422) is caught when the next batch is formed (DeliveryLedger.formNext).
     */
    private void owedToProvince(List<Version> versions, long[] seqs, Map<String, Integer> lastIndex,
                                Map<String, Long> stored, OffsetDateTime now) {
        List<Object[]> rows = new ArrayList<>(versions.size());
        for (int i = 0; i < versions.size(); i++) {
            String id = versions.get(i).record.recordId();
            int newest = lastIndex.get(id);
            rows.add(newest == i ? new Object[]{seqs[i], id, "PENDING", now, null}
                    : new Object[]{seqs[i], id, "SUPERSEDED", now, seqs[newest]});
        }
        insertRows("province_delivery", "seq, record_id, state, since, superseded_by", rows,
                new int[]{Types.BIGINT, Types.VARCHAR, Types.VARCHAR,
                        Types.TIMESTAMP_WITH_TIMEZONE, Types.BIGINT});
        List<Object[]> older = new ArrayList<>();
        lastIndex.forEach((id, i) -> {
            Long previous = stored.get(id);
            if (previous != null) {
                older.add(new Object[]{now, seqs[i], previous});
            }
        });
        if (!older.isEmpty()) {
            jdbc.batchUpdate("UPDATE province_delivery SET state = 'SUPERSEDED', since = ?, superseded_by = ?"
                    + " WHERE seq = ? AND state = 'PENDING'", older);
        }
    }

    /** Inserts the versions with the next seqs and their chain hashes, and moves the chain's head. */
    private long[] insertHistory(List<Version> versions, OffsetDateTime now, ChainHead head) {
        long[] seqs = new long[versions.size()];
        OffsetDateTime applied = HashChain.stored(now);
        long seq = head.lastSeq;
        String chain = head.hash;
        List<Object[]> rows = new ArrayList<>(versions.size());
        for (int i = 0; i < versions.size(); i++) {
            Version v = versions.get(i);
            NewVersion r = v.record;
            OffsetDateTime updated = HashChain.stored(r.updatedAt());
            OffsetDateTime fetched = HashChain.stored(r.fetchedAt());
            seqs[i] = ++seq;
            chain = HashChain.version(chain, seq, r.recordId(), r.domain(), r.regionCode(), r.system(), r.key(), updated,
                    r.payloadSha256(), fetched, applied, v.conflict, r.body());
            rows.add(new Object[]{seq, r.recordId(), r.domain(), r.regionCode(), r.system(), r.key(), updated,
                    r.payloadSha256(), fetched, applied, v.conflict, r.body(), chain});
        }
        insertRows("record_version", "seq, record_id, domain, region_code, adapter, source_key, updated_at,"
                + " payload_sha256, fetched_at, applied_at, conflict, body, chain_hash", rows, null);
        jdbc.update("UPDATE feed_lock SET last_seq = ?, chain_head = ? WHERE id = 1", seq, chain);
        return seqs;
    }

    /**
     * Inserts a batch's new rows: on PostgreSQL with one COPY (no statement parsed per row, one round trip),
     * elsewhere as one JDBC batch. Same rows either way; {@code types} where a null needs its SQL type.
     */
    private void insertRows(String table, String columns, List<Object[]> rows, int[] types) {
        if (rows.isEmpty()) {
            return;
        }
        if (copy.getAsBoolean()) {
            PgCopy copy = PgCopy.rows();
            rows.forEach(copy::row);
            copy.into(jdbc, table + " (" + columns + ")");
            return;
        }
        String sql = "INSERT INTO " + table + " (" + columns + ") VALUES ("
                + String.join(",", Collections.nCopies(columns.split(",").length, "?")) + ")";
        if (types == null) {
            jdbc.batchUpdate(sql, rows);
        } else {
            jdbc.batchUpdate(sql, rows, types);
        }
    }

    /** What an adapter's versions have come to so far (zero for an adapter that never had one applied). */
    public ApplyOutcome counters(String adapter) {
        List<ApplyOutcome> c = jdbc.query("SELECT applied, duplicates, stale, conflicts FROM ingest_counter"
                + " WHERE adapter = ?", (rs, i) -> new ApplyOutcome(rs.getInt(1), rs.getInt(2), rs.getInt(3),
                rs.getInt(4)), adapter);
        return c.isEmpty() ? new ApplyOutcome(0, 0, 0, 0) : c.get(0);
    }

    private void count(String adapter, int[] c, List<NewVersion> batch) {
        int n = jdbc.update("UPDATE ingest_counter SET applied = applied + ?, duplicates = duplicates + ?,"
                + " stale = stale + ?, conflicts = conflicts + ? WHERE adapter = ?", c[0], c[1], c[2], c[3], adapter);
        if (n == 0) {
            jdbc.update("INSERT INTO ingest_counter (adapter, applied, duplicates, stale, conflicts) VALUES (?,?,?,?,?)",
                    adapter, c[0], c[1], c[2], c[3]);
        }
        meters.counter("yingyan.records.applied", "adapter", adapter).increment(c[0]);
        meters.counter("yingyan.records.duplicates", "adapter", adapter).increment(c[1]);
        meters.counter("yingyan.records.stale", "adapter", adapter).increment(c[2]);
        meters.counter("yingyan.records.conflicts", "adapter", adapter).increment(c[3]);
        // The console's per-minute flow and lag (V6), in this same transaction.
        OffsetDateTime newest = batch.stream().filter(r -> r.system().equals(adapter))
                .map(NewVersion::updatedAt).max(Comparator.comparing(OffsetDateTime::toInstant))
                .orElse(null);
        flow.add(adapter, c[0], c[1], c[2], c[3], newest);
    }

    private enum Decision { INSERT, NEWER, CONFLICT, DUPLICATE, STALE }

    /** A record's current version; {@code seq} is its version_seq when stored before this batch. */
    private record Current(OffsetDateTime updatedAt, String payloadSha256, long seq) {
    }

    private record ChainHead(long lastSeq, String hash) {
    }

    private record Version(NewVersion record, boolean conflict) {
    }
}
