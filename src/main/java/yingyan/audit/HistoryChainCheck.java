package yingyan.audit;

import static yingyan.audit.Findings.HISTORY;
import static yingyan.audit.Findings.missing;
import static yingyan.audit.StoredValues.jsonDifferences;
import static yingyan.audit.StoredValues.trim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import yingyan.audit.VerifyReport.Kind;
import yingyan.canonical.JsonLimits;

/**
 * The history's hash chain ({@code record_version.chain_hash}, {@link HashChain#version}): each row recomputed
 * from its predecessor; rows with no hash before the first chained row are legacy (applied before V5);
 * {@code feed_lock.last_seq} / {@code chain_head} name the newest row. A break is diagnosed from the rows
 * around it (REORDERED, DELETED or EDITED, with what differs from the row's own body and its current record).
 */
final class HistoryChainCheck extends ChainCheck<HistoryChainCheck.VersionRow> {
    private static final ObjectMapper JSON = JsonLimits.mapper();
    private static final Names NAMES = new Names(HISTORY, "feed_lock", "chain_head", "the chain's", "chain hash",
            "version", "row");

    /** One record_version row as the chain covers it (its body by hash, plus what its columns contradict). */
    record VersionRow(long seq, String recordId, String domain, String regionCode, String adapter,
                              String sourceKey, OffsetDateTime updatedAt, String payloadSha256,
                              OffsetDateTime fetchedAt, OffsetDateTime appliedAt, boolean conflict, String bodySha256,
                              String chainHash, List<String> columnsVersusBody) implements ChainCheck.Row {
        @Override
        public String hash(String prev, long asSeq) {
            return HashChain.versionOfBody(prev, asSeq, recordId, domain, regionCode, adapter, sourceKey, updatedAt,
                    payloadSha256, fetchedAt, appliedAt, conflict, bodySha256);
        }
    }

    private boolean started;
    private long firstChained;
    private String prevHash = HashChain.GENESIS;
    private Long prevSeq;
    private long chained;
    private long legacy;

    HistoryChainCheck(Connection c, Findings f) {
        super(c, f, NAMES);
    }

    void run() throws SQLException {
        walk("SELECT seq, record_id, domain, region_code, adapter, source_key, updated_at, payload_sha256,"
                + " fetched_at, applied_at, conflict, body, chain_hash FROM record_version ORDER BY seq", 200);
    }

    @Override
    VersionRow read(ResultSet rs) throws SQLException {
        String body = rs.getString("body");
        VersionRow r = new VersionRow(rs.getLong("seq"), rs.getString("record_id"), rs.getString("domain"),
                trim(rs.getString("region_code")), rs.getString("adapter"), rs.getString("source_key"),
                rs.getObject("updated_at", OffsetDateTime.class), trim(rs.getString("payload_sha256")),
                rs.getObject("fetched_at", OffsetDateTime.class), rs.getObject("applied_at", OffsetDateTime.class),
                rs.getBoolean("conflict"), HashChain.sha256Hex(body), trim(rs.getString("chain_hash")), List.of());
        return new VersionRow(r.seq, r.recordId, r.domain, r.regionCode, r.adapter, r.sourceKey, r.updatedAt,
                r.payloadSha256, r.fetchedAt, r.appliedAt, r.conflict, r.bodySha256, r.chainHash,
                columnsVersusBody(r, body));
    }

    @Override
    void end() throws SQLException {
        head();
        f.checked.put("record_version chained", chained);
        f.checked.put("record_version legacy (before the chain)", legacy);
    }

    @Override
    void check(List<VersionRow> rows, int i) throws SQLException {
        VersionRow r = rows.get(i);
        boolean gap = prevSeq != null && r.seq != prevSeq + 1;
        if (r.chainHash == null) {
            if (!started) {
                legacy++;
            } else {
                f.add(HISTORY, Kind.EDITED, HISTORY, r.seq, "record " + r.recordId + " has no chain hash, yet the"
                        + " chain started at seq " + firstChained + ": its hash was erased");
            }
            prevSeq = r.seq;
            return;
        }
        if (!started) {
            started = true;
            firstChained = r.seq;
        }
        chained++;
        if (r.hash(prevHash, r.seq).equals(r.chainHash)) {
            if (gap) {
                f.add(HISTORY, Kind.DELETED, HISTORY, r.seq, missing(prevSeq, r.seq) + " are missing, and seq "
                        + r.seq + " was re-hashed to link to seq " + prevSeq + " (the chain was rewritten)");
            }
        } else if (!f.full(HISTORY)) {
            diagnose(rows, i, gap);
        } else {
            f.add(HISTORY, Kind.EDITED, HISTORY, r.seq, "does not match its chain hash");
        }
        prevHash = r.chainHash;
        prevSeq = r.seq;
    }

    private void diagnose(List<VersionRow> rows, int i, boolean gap) throws SQLException {
        VersionRow r = rows.get(i);
        Set<String> hashes = new HashSet<>();
        List<String> prevs = new ArrayList<>();
        prevs.add(HashChain.GENESIS);
        for (VersionRow w : rows) {
            if (w.chainHash != null) {
                hashes.add(w.chainHash);
                prevs.add(w.chainHash);
            }
        }
        if (!gap && prevs.stream().anyMatch(p -> r.hash(p, r.seq).equals(r.chainHash))) {
            return; // intact where it was written; the neighbour it was chained after moved, and is reported
        }
        Long movedFrom = placeOf(rows, r, prevs, hashes);
        if (movedFrom != null) {
            f.add(HISTORY, Kind.REORDERED, HISTORY, r.seq, "holds the version of record " + r.recordId
                    + " that was chained as seq " + movedFrom + ": rows were reordered (their seqs or"
                    + " contents swapped)");
            return;
        }
        if (gap) {
            f.add(HISTORY, Kind.DELETED, HISTORY, prevSeq + 1,
                    missing(prevSeq, r.seq) + " missing: seq " + r.seq + " (record " + r.recordId
                            + ") does not link to seq " + prevSeq + ", the row before it now");
            return;
        }
        List<String> what = new ArrayList<>(r.columnsVersusBody);
        what.addAll(currentVersusVersion(r));
        boolean nextLinks = i + 1 < rows.size() && rows.get(i + 1).chainHash != null
                && rows.get(i + 1).hash(r.chainHash, rows.get(i + 1).seq).equals(rows.get(i + 1).chainHash);
        String detail;
        if (!what.isEmpty()) {
            detail = "record " + r.recordId + " was changed after it was chained: " + String.join("; ", what);
        } else if (nextLinks || i + 1 >= rows.size()) {
            detail = "record " + r.recordId + " was changed after it was chained: its content (body, lineage,"
                    + " applied_at or conflict flag) no longer gives its chain hash";
        } else {
            detail = "the chain breaks between seq " + prevSeq + " and seq " + r.seq + " (record " + r.recordId
                    + "): this row was changed, or seq " + prevSeq + " was changed and given a new chain hash";
        }
        f.add(HISTORY, Kind.EDITED, HISTORY, r.seq, detail);
    }

    /** For the current version of its record: where the record table's copy differs from the history's. */
    private List<String> currentVersusVersion(VersionRow r) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT r.payload_sha256, r.body, v.body FROM record r"
                + " JOIN record_version v ON v.seq = r.version_seq WHERE r.record_id = ? AND r.version_seq = ?")) {
            s.setString(1, r.recordId);
            s.setLong(2, r.seq);
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    if (!Objects.equals(trim(rs.getString(1)), r.payloadSha256)) {
                        out.add("payload_sha256 is " + r.payloadSha256 + ", the current record has "
                                + trim(rs.getString(1)));
                    }
                    List<String> paths = jsonDifferences(rs.getString(3), rs.getString(2));
                    if (!paths.isEmpty()) {
                        out.add("its body differs from the current record's at " + String.join(", ", paths));
                    }
                }
            }
        }
        return out;
    }

    private void head() throws SQLException {
        Head h = readHead();
        if (h == null) {
            return;
        }
        if (!started) {
            if (!HashChain.GENESIS.equals(h.hash())) {
                f.add(HISTORY, Kind.DELETED, HISTORY, h.lastSeq(), "feed_lock.chain_head says versions up to seq "
                        + h.lastSeq() + " were chained, but no chained version is left");
            }
            return;
        }
        compareHead(h, prevSeq == null ? 0 : prevSeq, prevHash);
    }

    /** Where a version row's columns contradict its own stored body (both are written from one record). */
    private static List<String> columnsVersusBody(VersionRow r, String body) {
        List<String> out = new ArrayList<>();
        JsonNode b;
        try {
            b = JSON.readTree(body);
        } catch (IOException e) {
            return List.of("its body is not JSON any more");
        }
        if (b == null || !b.isObject()) {
            return List.of("its body is not a record any more");
        }
        JsonNode src = b.path("source");
        differs(out, "record_id", r.recordId, b.path("recordId").asText(null));
        differs(out, "domain", r.domain, b.path("domain").asText(null));
        differs(out, "region_code", r.regionCode, b.path("regionCode").asText(null));
        differs(out, "adapter", r.adapter, src.path("system").asText(null));
        differs(out, "source_key", r.sourceKey, src.path("key").asText(null));
        differs(out, "payload_sha256", r.payloadSha256, src.path("payloadSha256").asText(null));
        differsInTime(out, "updated_at", r.updatedAt, src.path("updatedAt").asText(null));
        differsInTime(out, "fetched_at", r.fetchedAt, src.path("fetchedAt").asText(null));
        return out;
    }

    private static void differs(List<String> out, String column, String value, String inBody) {
        if (!Objects.equals(value, inBody)) {
            out.add(column + " is '" + value + "' but its body says '" + inBody + "'");
        }
    }

    private static void differsInTime(List<String> out, String column, OffsetDateTime value, String inBody) {
        OffsetDateTime b;
        try {
            b = inBody == null ? null : OffsetDateTime.parse(inBody);
        } catch (RuntimeException e) {
            b = null;
        }
        if (value == null || b == null || !HashChain.stored(value).toInstant().equals(HashChain.stored(b).toInstant())) {
            out.add(column + " is " + value + " but its body says " + inBody);
        }
    }
}
