package yingyan.store;

import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalRecord;

/**
 * The municipal database's records and their history. Applying is transactional and idempotent:
 * newest {@code source.updatedAt} wins, a late older version is ignored, an equal time with an equal
 * payload hash is a counted duplicate, an equal time with another hash is a counted conflict that the
 * later read wins, unless the record already had that hash at that time (a re-read after a crash: a
 * duplicate, so reading the same input twice never changes the outcome). Every applied version lands in
 * {@code record_version} with its lineage, once.
 */
@Repository
public class RecordStore {
    private static final int IN_CHUNK = 500;

    private final JdbcTemplate jdbc;
    private final MeterRegistry meters;

    public RecordStore(JdbcTemplate jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.meters = meters;
    }

    /** Applies a batch in one transaction; versions of the same record inside it apply in batch order. */
    @Transactional
    public ApplyOutcome apply(List<CanonicalRecord> batch) {
        if (batch.isEmpty()) {
            return new ApplyOutcome(0, 0, 0, 0);
        }
        Map<String, Current> current = lockCurrent(batch);
        Set<String> existing = new java.util.HashSet<>(current.keySet());
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<Version> toApply = new ArrayList<>();
        Map<String, int[]> perAdapter = new LinkedHashMap<>(); // applied, duplicates, stale, conflicts
        Set<String> appliedHere = new java.util.HashSet<>();
        for (CanonicalRecord r : batch) {
            int[] c = perAdapter.computeIfAbsent(r.source().system(), k -> new int[4]);
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
                    toApply.add(new Version(r, CanonicalJson.write(r), d == Decision.CONFLICT));
                    appliedHere.add(versionKey(r));
                    current.put(r.recordId(), new Current(r.source().updatedAt(), r.source().payloadSha256()));
                }
            }
        }
        writeVersions(toApply, existing, now);
        ApplyOutcome total = new ApplyOutcome(0, 0, 0, 0);
        for (Map.Entry<String, int[]> e : perAdapter.entrySet()) {
            int[] c = e.getValue();
            count(e.getKey(), c);
            total = total.plus(new ApplyOutcome(c[0], c[1], c[2], c[3]));
        }
        return total;
    }

    private static Decision decide(Current cur, CanonicalRecord r) {
        if (cur == null) {
            return Decision.INSERT;
        }
        int cmp = r.source().updatedAt().toInstant().compareTo(cur.updatedAt.toInstant());
        if (cmp > 0) {
            return Decision.NEWER;
        }
        if (cmp < 0) {
            return Decision.STALE;
        }
        return r.source().payloadSha256().equals(cur.payloadSha256) ? Decision.DUPLICATE : Decision.CONFLICT;
    }

    /**
     * Whether this exact version (record, source second, payload hash) was applied before, earlier in this
     * batch or in the history. Asked only for conflicts (an equal second with another hash), which are rare.
     */
    private boolean alreadyApplied(CanonicalRecord r, Set<String> appliedHere) {
        if (appliedHere.contains(versionKey(r))) {
            return true;
        }
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM record_version WHERE record_id = ? AND updated_at = ?"
                + " AND payload_sha256 = ?", Integer.class, r.recordId(), r.source().updatedAt(),
                r.source().payloadSha256());
        return n != null && n > 0;
    }

    private static String versionKey(CanonicalRecord r) {
        return r.recordId() + "|" + r.source().updatedAt().toInstant() + "|" + r.source().payloadSha256();
    }

    /** Reads and row-locks the current versions of the batch's records, so concurrent batches serialise per record. */
    private Map<String, Current> lockCurrent(List<CanonicalRecord> batch) {
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
            jdbc.query("SELECT record_id, updated_at, payload_sha256 FROM record WHERE record_id IN (" + marks
                            + ") ORDER BY record_id FOR UPDATE",
                    rs -> {
                        out.put(rs.getString(1), new Current(rs.getObject(2, OffsetDateTime.class),
                                rs.getString(3)));
                    }, chunk.toArray());
        }
        return out;
    }

    private void writeVersions(List<Version> versions, Set<String> existing, OffsetDateTime now) {
        if (versions.isEmpty()) {
            return;
        }
        // Serialise version writers from their first seq to their commit, so seqs become visible in
        // order and the feed never passes a seq whose transaction commits later (V4__feed.sql).
        jdbc.update("UPDATE feed_lock SET writes = writes + 1 WHERE id = 1");
        long[] seqs = insertHistory(versions, now);
        owedToProvince(versions, seqs, now);
        // The last version of a record in this batch is its current one.
        Map<String, Integer> lastIndex = new LinkedHashMap<>();
        for (int i = 0; i < versions.size(); i++) {
            lastIndex.put(versions.get(i).record.recordId(), i);
        }
        List<Object[]> inserts = new ArrayList<>();
        List<Object[]> updates = new ArrayList<>();
        for (Map.Entry<String, Integer> e : lastIndex.entrySet()) {
            Version v = versions.get(e.getValue());
            CanonicalRecord r = v.record;
            long seq = seqs[e.getValue()];
            if (existing.contains(r.recordId())) {
                updates.add(new Object[]{r.domain().name(), r.regionCode(), r.source().system(), r.source().key(),
                        r.source().updatedAt(), r.source().payloadSha256(), seq, now, v.body, r.recordId()});
            } else {
                inserts.add(new Object[]{r.recordId(), r.domain().name(), r.regionCode(), r.source().system(),
                        r.source().key(), r.source().updatedAt(), r.source().payloadSha256(), seq, now, v.body});
            }
        }
        if (!inserts.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO record (record_id, domain, region_code, adapter, source_key, updated_at,"
                    + " payload_sha256, version_seq, applied_at, body) VALUES (?,?,?,?,?,?,?,?,?,?)", inserts);
        }
        if (!updates.isEmpty()) {
            jdbc.batchUpdate("UPDATE record SET domain = ?, region_code = ?, adapter = ?, source_key = ?, updated_at = ?,"
                    + " payload_sha256 = ?, version_seq = ?, applied_at = ?, body = ? WHERE record_id = ?", updates);
        }
    }

    /**
     * The province delivery ledger (V3): every applied version is owed to the province, recorded in this
     * same transaction; a version still waiting when a newer one of its record arrives is superseded.
     */
    private void owedToProvince(List<Version> versions, long[] seqs, OffsetDateTime now) {
        List<Object[]> rows = new ArrayList<>();
        Map<String, Long> newest = new LinkedHashMap<>();
        for (int i = 0; i < versions.size(); i++) {
            String id = versions.get(i).record.recordId();
            rows.add(new Object[]{seqs[i], id, now});
            newest.put(id, seqs[i]);
        }
        jdbc.batchUpdate("INSERT INTO province_delivery (seq, record_id, state, since) VALUES (?,?,'PENDING',?)", rows);
        List<Object[]> older = new ArrayList<>();
        newest.forEach((id, seq) -> older.add(new Object[]{now, seq, id, seq}));
        jdbc.batchUpdate("UPDATE province_delivery SET state = 'SUPERSEDED', since = ?, superseded_by = ?"
                + " WHERE record_id = ? AND state = 'PENDING' AND seq < ?", older);
    }

    private long[] insertHistory(List<Version> versions, OffsetDateTime now) {
        long[] seqs = new long[versions.size()];
        jdbc.execute((java.sql.Connection con) -> {
            try (PreparedStatement ps = con.prepareStatement("INSERT INTO record_version (record_id, domain,"
                    + " region_code, adapter, source_key, updated_at, payload_sha256, fetched_at, applied_at, conflict,"
                    + " body) VALUES (?,?,?,?,?,?,?,?,?,?,?)", new String[]{"seq"})) {
                for (Version v : versions) {
                    CanonicalRecord r = v.record;
                    ps.setString(1, r.recordId());
                    ps.setString(2, r.domain().name());
                    ps.setString(3, r.regionCode());
                    ps.setString(4, r.source().system());
                    ps.setString(5, r.source().key());
                    ps.setObject(6, r.source().updatedAt());
                    ps.setString(7, r.source().payloadSha256());
                    ps.setObject(8, r.source().fetchedAt());
                    ps.setObject(9, now);
                    ps.setBoolean(10, v.conflict);
                    ps.setString(11, v.body);
                    ps.addBatch();
                }
                ps.executeBatch();
                try (var keys = ps.getGeneratedKeys()) {
                    int i = 0;
                    while (keys.next()) {
                        seqs[i++] = keys.getLong(1);
                    }
                    if (i != seqs.length) {
                        throw new IllegalStateException("expected " + seqs.length + " history keys, got " + i);
                    }
                }
            }
            return null;
        });
        return seqs;
    }

    private void count(String adapter, int[] c) {
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
    }

    private enum Decision { INSERT, NEWER, CONFLICT, DUPLICATE, STALE }

    private record Current(OffsetDateTime updatedAt, String payloadSha256) {
    }

    private record Version(CanonicalRecord record, String body, boolean conflict) {
    }
}
