package yingyan.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import yingyan.adapters.approvals.ApprovalsFixtures;
import yingyan.audit.HashChain;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.CanonicalTime;
import yingyan.canonical.RecordValidator;
import yingyan.canonical.ResidentIdProtector;
import yingyan.spi.MappingContext;
import yingyan.spi.SourceItem;
import yingyan.spi.SourceMapper;
import yingyan.store.PgCopy;
import yingyan.testsupport.FakeApprovalsSystem;

/**
 * The bare floor: what loading the backlog costs without the hub. One thread, no Camel, no broker:
 * read the same pages over HTTP, parse, map and validate each item with the adapter's own mapper, and
 * load the same rows into the same tables (record, record_version, province_delivery, ingest_counter,
 * feed_lock) under the same version rules, one transaction per {@code batch} items, with PostgreSQL's
 * fastest path: one array SELECT … FOR UPDATE for the current versions, seqs and the hash chain's
 * head from the feed_lock row (one UPDATE … RETURNING), COPY for the history, the ledger and new records (the
 * text format written by {@link PgCopy}, as the hub's RecordStore does), a JDBC batch for records that existed.
 */
final class Floor implements AutoCloseable {
    private final Connection con;
    private final FakeApprovalsSystem source;
    private final String apiKey;
    private final int batch;
    private final SourceMapper mapper = ApprovalsFixtures.mapper();
    private final MappingContext context;
    private final HttpClient http = HttpClient.newHttpClient();
    long applied;
    long duplicates;
    long stale;

    Floor(String jdbcUrl, String user, FakeApprovalsSystem source, String apiKey, String hmacKey, int batch)
            throws java.sql.SQLException {
        this.con = DriverManager.getConnection(jdbcUrl, user, "");
        this.source = source;
        this.apiKey = apiKey;
        this.batch = batch;
        this.context = new MappingContext(new ResidentIdProtector(hmacKey));
    }

    /** Loads cases [0, n); returns when the last transaction committed. */
    void load(long n) throws Exception {
        int pageSize = 500;
        {
            con.setAutoCommit(false);
            List<Version> pending = new ArrayList<>(batch);
            for (int page = 1; (long) (page - 1) * pageSize < n; page++) {
                byte[] body = http.send(HttpRequest.newBuilder(URI.create(source.baseUrl() + "/api/cases?page=" + page
                                + "&size=" + pageSize)).header("X-Api-Key", apiKey).build(),
                        HttpResponse.BodyHandlers.ofByteArray()).body();
                OffsetDateTime fetchedAt = OffsetDateTime.now(CanonicalTime.BEIJING).truncatedTo(ChronoUnit.MILLIS);
                for (JsonNode item : ApprovalsFixtures.read(body).get("items")) {
                    byte[] raw = ApprovalsFixtures.stable(item);
                    CanonicalRecord r = RecordValidator.requireValid(mapper.map(SourceItem.utf8("approvals",
                            item.get("caseNo").textValue(), raw, "page " + page, fetchedAt, item), context));
                    pending.add(new Version(r, CanonicalJson.write(r)));
                    if (pending.size() == batch) {
                        apply(con, pending);
                        pending.clear();
                    }
                }
            }
            if (!pending.isEmpty()) {
                apply(con, pending);
            }
        }
    }

    @Override
    public void close() throws java.sql.SQLException {
        con.close();
    }

    private void apply(Connection con, List<Version> versions) throws Exception {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Map<String, Current> current = new HashMap<>();
        try (PreparedStatement ps = con.prepareStatement("SELECT record_id, updated_at, payload_sha256 FROM record"
                + " WHERE record_id = ANY (?) FOR UPDATE")) {
            Array ids = con.createArrayOf("varchar", versions.stream().map(v -> v.r.recordId()).distinct().toArray());
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    current.put(rs.getString(1), new Current(rs.getObject(2, OffsetDateTime.class), rs.getString(3),
                            true));
                }
            }
        }
        List<Version> toApply = new ArrayList<>();
        int dup = 0;
        int old = 0;
        for (Version v : versions) {
            Current c = current.get(v.r.recordId());
            var src = v.r.source();
            int cmp = c == null ? 1 : src.updatedAt().toInstant().compareTo(c.updatedAt.toInstant());
            if (cmp < 0) {
                old++;
            } else if (cmp == 0 && src.payloadSha256().equals(c.sha)) {
                dup++;
            } else {
                v.conflict = cmp == 0;
                v.existed = c != null && c.stored;
                toApply.add(v);
                current.put(v.r.recordId(), new Current(src.updatedAt(), src.payloadSha256(), c != null && c.stored));
            }
        }
        if (!toApply.isEmpty()) {
            // Seqs and the chain head come from the feed_lock row, held to commit (V4, V5), as in RecordStore.
            long seq;
            String chain;
            try (Statement s = con.createStatement();
                 ResultSet rs = s.executeQuery("UPDATE feed_lock SET writes = writes + 1 WHERE id = 1"
                         + " RETURNING last_seq, chain_head")) {
                rs.next();
                seq = rs.getLong(1);
                chain = rs.getString(2);
            }
            long[] seqs = new long[toApply.size()];
            OffsetDateTime appliedAt = HashChain.stored(now);
            PgCopy history = PgCopy.rows();
            PgCopy ledger = PgCopy.rows();
            Map<String, Integer> last = new LinkedHashMap<>();
            for (int i = 0; i < toApply.size(); i++) {
                last.put(toApply.get(i).r.recordId(), i);
            }
            for (int i = 0; i < toApply.size(); i++) {
                Version v = toApply.get(i);
                var src = v.r.source();
                seqs[i] = ++seq;
                OffsetDateTime updated = HashChain.stored(src.updatedAt());
                OffsetDateTime fetched = HashChain.stored(src.fetchedAt());
                chain = HashChain.version(chain, seq, v.r.recordId(), v.r.domain().name(), v.r.regionCode(),
                        src.system(), src.key(), updated, src.payloadSha256(), fetched, appliedAt, v.conflict, v.body);
                history.row(seq, v.r.recordId(), v.r.domain().name(), v.r.regionCode(), src.system(), src.key(),
                        updated, src.payloadSha256(), fetched, appliedAt, v.conflict, v.body, chain);
                // A version overtaken inside this batch is owed to nobody: superseded as it is written.
                int newest = last.get(v.r.recordId());
                ledger.row(seqs[i], v.r.recordId(), newest == i ? "PENDING" : "SUPERSEDED", now,
                        newest == i ? null : seqs[newest]);
            }
            history.into(con, "record_version (seq, record_id, domain, region_code, adapter, source_key, updated_at,"
                    + " payload_sha256, fetched_at, applied_at, conflict, body, chain_hash)");
            ledger.into(con, "province_delivery (seq, record_id, state, since, superseded_by)");
            try (PreparedStatement ps = con.prepareStatement("UPDATE feed_lock SET last_seq = ?, chain_head = ?"
                    + " WHERE id = 1")) {
                ps.setLong(1, seq);
                ps.setString(2, chain);
                ps.executeUpdate();
            }
            PgCopy fresh = PgCopy.rows();
            List<Object[]> updates = new ArrayList<>();
            for (Map.Entry<String, Integer> e : last.entrySet()) {
                Version v = toApply.get(e.getValue());
                var src = v.r.source();
                long newestSeq = seqs[e.getValue()];
                if (v.existed) {
                    updates.add(new Object[]{v.r.domain().name(), v.r.regionCode(), src.system(), src.key(),
                            src.updatedAt(), src.payloadSha256(), newestSeq, now, v.body, v.r.recordId()});
                } else {
                    fresh.row(v.r.recordId(), v.r.domain().name(), v.r.regionCode(), src.system(), src.key(),
                            src.updatedAt(), src.payloadSha256(), newestSeq, now, v.body);
                }
            }
            if (!fresh.isEmpty()) {
                fresh.into(con, "record (record_id, domain, region_code, adapter, source_key, updated_at,"
                        + " payload_sha256, version_seq, applied_at, body)");
            }
            if (!updates.isEmpty()) {
                try (PreparedStatement ps = con.prepareStatement("UPDATE record SET domain = ?, region_code = ?,"
                        + " adapter = ?, source_key = ?, updated_at = ?, payload_sha256 = ?, version_seq = ?,"
                        + " applied_at = ?, body = ? WHERE record_id = ?");
                     PreparedStatement sup = con.prepareStatement("UPDATE province_delivery SET state = 'SUPERSEDED',"
                             + " since = ?, superseded_by = ? WHERE record_id = ? AND state = 'PENDING' AND seq < ?")) {
                    for (Object[] u : updates) {
                        for (int i = 0; i < u.length; i++) {
                            ps.setObject(i + 1, u[i]);
                        }
                        ps.addBatch();
                        sup.setObject(1, now);
                        sup.setLong(2, (Long) u[6]);
                        sup.setString(3, (String) u[9]);
                        sup.setLong(4, (Long) u[6]);
                        sup.addBatch();
                    }
                    ps.executeBatch();
                    sup.executeBatch();
                }
            }
        }
        try (PreparedStatement ps = con.prepareStatement("INSERT INTO ingest_counter (adapter, applied, duplicates,"
                + " stale, conflicts) VALUES ('approvals', ?, ?, ?, 0) ON CONFLICT (adapter) DO UPDATE SET"
                + " applied = ingest_counter.applied + EXCLUDED.applied,"
                + " duplicates = ingest_counter.duplicates + EXCLUDED.duplicates,"
                + " stale = ingest_counter.stale + EXCLUDED.stale")) {
            ps.setLong(1, toApply.size());
            ps.setLong(2, dup);
            ps.setLong(3, old);
            ps.executeUpdate();
        }
        con.commit();
        applied += toApply.size();
        duplicates += dup;
        stale += old;
    }

    private static final class Version {
        final CanonicalRecord r;
        final String body;
        boolean conflict;
        boolean existed;

        Version(CanonicalRecord r, String body) {
            this.r = r;
            this.body = body;
        }
    }

    private record Current(OffsetDateTime updatedAt, String sha, boolean stored) {
    }
}
