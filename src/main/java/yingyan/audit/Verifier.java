package yingyan.audit;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;
import yingyan.audit.VerifyReport.Finding;
import yingyan.audit.VerifyReport.Kind;
import yingyan.canonical.JsonLimits;

/**
 * Checks, directly in the municipal database, that what the hub wrote is still what it wrote:
 * <ol>
 *   <li>the history's hash chain ({@code record_version.chain_hash}, {@link HashChain#version}): each row
 *       recomputed from its predecessor; rows with no hash before the first chained row are legacy
 *       (applied before V5); {@code feed_lock.last_seq} / {@code chain_head} name the newest row;</li>
 *   <li>the audit log's chain ({@code audit_log}, {@link HashChain#action}) and its head {@code audit_head};</li>
 *   <li>history against ledger: one {@code province_delivery} row per version (from where retention left the
 *       ledger, {@code ledger_retention.pruned_below}) and none without one, each
 *       record's current row is its newest version with the same payload hash and body, and the ledger's
 *       states are ones the hub writes (ACCEPTED in a DONE batch, SUPERSEDED by a newer version...).</li>
 * </ol>
 * A break in a chain is diagnosed from the rows around it: a row whose content and hash fit another
 * position (tried against the seqs and hashes of the {@link #WINDOW} rows on either side) was
 * REORDERED; a gap in the seqs (which the hub hands out without holes) is DELETED; anything else is
 * EDITED, with what differs where another copy exists (the row's columns against its own body, a
 * current record against its version). Everything is read in one read-only, repeatable-read
 * transaction, so a hub writing meanwhile cannot produce false findings, and streamed row by row.
 */
public final class Verifier {
    /** Rows on either side of a break that are tried as its true place. */
    static final int WINDOW = 8;
    /** Findings listed per check; the rest are counted. */
    public static final int MAX_LISTED = 100;

    private static final ObjectMapper JSON = JsonLimits.mapper();
    private static final String HISTORY = "record_version";
    private static final String AUDIT = "audit_log";
    private static final String LEDGER = "province_delivery";

    private final DataSource dataSource;

    public Verifier(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs every check; throws only when the database cannot be read. */
    public VerifyReport verify() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                Findings f = new Findings();
                new HistoryChain(c, f).run();
                new AuditChain(c, f).run();
                new Ledger(c, f).run();
                return new VerifyReport(List.copyOf(f.list), Map.copyOf(f.notListed), Map.copyOf(f.checked));
            } finally {
                c.rollback();
            }
        }
    }

    /** Collects findings, listing at most MAX_LISTED per check. */
    private static final class Findings {
        final List<Finding> list = new ArrayList<>();
        final Map<String, Long> notListed = new LinkedHashMap<>();
        final Map<String, Long> listed = new LinkedHashMap<>();
        final Map<String, Long> checked = new LinkedHashMap<>();
        /** record_version seqs the chain check found changed: another copy differing from them is their echo. */
        final Set<Long> changedVersions = new HashSet<>();

        void add(String check, Kind kind, String table, Long seq, String detail) {
            if (HISTORY.equals(check) && seq != null) {
                changedVersions.add(seq);
            }
            long n = listed.merge(check, 1L, Long::sum);
            if (n <= MAX_LISTED) {
                list.add(new Finding(kind, table, seq, detail));
            } else {
                notListed.merge(check, 1L, Long::sum);
            }
        }

        boolean full(String check) {
            return listed.getOrDefault(check, 0L) >= MAX_LISTED;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The history chain

    /** One record_version row as the chain covers it (its body by hash, plus what its columns contradict). */
    private record VersionRow(long seq, String recordId, String domain, String regionCode, String adapter,
                              String sourceKey, OffsetDateTime updatedAt, String payloadSha256,
                              OffsetDateTime fetchedAt, OffsetDateTime appliedAt, boolean conflict, String bodySha256,
                              String chainHash, List<String> columnsVersusBody) {
        String hash(String prev, long asSeq) {
            return HashChain.versionOfBody(prev, asSeq, recordId, domain, regionCode, adapter, sourceKey, updatedAt,
                    payloadSha256, fetchedAt, appliedAt, conflict, bodySha256);
        }
    }

    private static final class HistoryChain {
        private final Connection c;
        private final Findings f;
        private final Window<VersionRow> window = new Window<>();
        private boolean started;
        private long firstChained;
        private String prevHash = HashChain.GENESIS;
        private Long prevSeq;
        private long chained;
        private long legacy;

        HistoryChain(Connection c, Findings f) {
            this.c = c;
            this.f = f;
        }

        void run() throws SQLException {
            try (PreparedStatement s = c.prepareStatement("SELECT seq, record_id, domain, region_code, adapter,"
                    + " source_key, updated_at, payload_sha256, fetched_at, applied_at, conflict, body, chain_hash"
                    + " FROM record_version ORDER BY seq")) {
                s.setFetchSize(200);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        String body = rs.getString("body");
                        VersionRow r = new VersionRow(rs.getLong("seq"), rs.getString("record_id"),
                                rs.getString("domain"), trim(rs.getString("region_code")), rs.getString("adapter"),
                                rs.getString("source_key"), rs.getObject("updated_at", OffsetDateTime.class),
                                trim(rs.getString("payload_sha256")), rs.getObject("fetched_at", OffsetDateTime.class),
                                rs.getObject("applied_at", OffsetDateTime.class), rs.getBoolean("conflict"),
                                HashChain.sha256Hex(body), trim(rs.getString("chain_hash")), List.of());
                        window.add(new VersionRow(r.seq, r.recordId, r.domain, r.regionCode, r.adapter, r.sourceKey,
                                r.updatedAt, r.payloadSha256, r.fetchedAt, r.appliedAt, r.conflict, r.bodySha256,
                                r.chainHash, columnsVersusBody(r, body)), this::check);
                    }
                }
            }
            window.finish(this::check);
            head();
            f.checked.put("record_version chained", chained);
            f.checked.put("record_version legacy (before the chain)", legacy);
        }

        private void check(List<VersionRow> rows, int i) throws SQLException {
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
            for (VersionRow asSeq : rows) {
                if (asSeq.seq == r.seq) {
                    continue;
                }
                for (String p : prevs) {
                    if (hashes.contains(r.hash(p, asSeq.seq))) {
                        f.add(HISTORY, Kind.REORDERED, HISTORY, r.seq, "holds the version of record " + r.recordId
                                + " that was chained as seq " + asSeq.seq + ": rows were reordered (their seqs or"
                                + " contents swapped)");
                        return;
                    }
                }
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
            long lastSeq;
            String head;
            try (PreparedStatement s = c.prepareStatement("SELECT last_seq, chain_head FROM feed_lock WHERE id = 1");
                 ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    f.add(HISTORY, Kind.DELETED, "feed_lock", null, "the chain's head row (id 1) is missing");
                    return;
                }
                lastSeq = rs.getLong(1);
                head = trim(rs.getString(2));
            }
            long newest = prevSeq == null ? 0 : prevSeq;
            if (!started) {
                if (!HashChain.GENESIS.equals(head)) {
                    f.add(HISTORY, Kind.DELETED, HISTORY, lastSeq, "feed_lock.chain_head says versions up to seq "
                            + lastSeq + " were chained, but no chained version is left");
                }
                return;
            }
            if (lastSeq > newest) {
                f.add(HISTORY, Kind.DELETED, HISTORY, newest + 1, "the newest " + missing(newest, lastSeq + 1)
                        + " missing: feed_lock.last_seq is " + lastSeq + ", the newest row is seq " + newest);
            } else if (lastSeq < newest) {
                f.add(HISTORY, Kind.INCONSISTENT, HISTORY, newest, "seq " + newest + " is beyond feed_lock.last_seq "
                        + lastSeq + ": written outside the hub");
            } else if (!prevHash.equals(head)) {
                f.add(HISTORY, Kind.EDITED, "feed_lock", newest, "chain_head does not match the chain hash of the"
                        + " newest version (seq " + newest + "): that version was changed and re-hashed, or the"
                        + " head was changed");
            }
        }
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

    /** JSON paths at which two documents differ (at most 5), e.g. {@code $.amounts[0].value}. */
    static List<String> jsonDifferences(String a, String b) {
        List<String> out = new ArrayList<>();
        try {
            diff("$", JSON.readTree(a), JSON.readTree(b), out);
        } catch (IOException e) {
            out.add("$ (not JSON)");
        }
        return out;
    }

    private static void diff(String path, JsonNode a, JsonNode b, List<String> out) {
        if (out.size() >= 5 || Objects.equals(a, b)) {
            return;
        }
        if (a != null && b != null && a.isObject() && b.isObject()) {
            Set<String> names = new java.util.TreeSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                diff(path + "." + n, a.get(n), b.get(n), out);
            }
        } else if (a != null && b != null && a.isArray() && b.isArray() && a.size() == b.size()) {
            for (int k = 0; k < a.size(); k++) {
                diff(path + "[" + k + "]", a.get(k), b.get(k), out);
            }
        } else {
            out.add(path);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The audit chain

    private record AuditRow(long seq, OffsetDateTime at, String actor, String action, String target, String outcome,
                            String prevHash, String entryHash) {
        String hash(String prev, long asSeq) {
            return HashChain.action(prev, asSeq, at, actor, action, target, outcome);
        }
    }

    private static final class AuditChain {
        private final Connection c;
        private final Findings f;
        private final Window<AuditRow> window = new Window<>();
        private String lastHash = HashChain.GENESIS;
        private long lastSeq;
        private long entries;

        AuditChain(Connection c, Findings f) {
            this.c = c;
            this.f = f;
        }

        void run() throws SQLException {
            try (PreparedStatement s = c.prepareStatement("SELECT seq, at, actor, action, target, outcome, prev_hash,"
                    + " entry_hash FROM audit_log ORDER BY seq")) {
                s.setFetchSize(500);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        window.add(new AuditRow(rs.getLong(1), rs.getObject(2, OffsetDateTime.class), rs.getString(3),
                                rs.getString(4), rs.getString(5), rs.getString(6), trim(rs.getString(7)),
                                trim(rs.getString(8))), this::check);
                    }
                }
            }
            window.finish(this::check);
            head();
            f.checked.put("audit_log", entries);
        }

        private void check(List<AuditRow> rows, int i) {
            AuditRow r = rows.get(i);
            entries++;
            boolean gap = r.seq != lastSeq + 1;
            boolean selfOk = r.hash(r.prevHash, r.seq).equals(r.entryHash);
            boolean linkOk = Objects.equals(r.prevHash, lastHash);
            if (selfOk && linkOk && !gap) {
                lastHash = r.entryHash;
                lastSeq = r.seq;
                return;
            }
            String where = "the action '" + r.action + "' by " + r.actor + " on " + r.target;
            if (!selfOk) {
                Long movedFrom = placeOf(rows, r);
                if (movedFrom != null) {
                    f.add(AUDIT, Kind.REORDERED, AUDIT, r.seq, "holds " + where + " that was chained as seq "
                            + movedFrom + ": entries were reordered (their seqs or contents swapped)");
                } else if (gap) {
                    f.add(AUDIT, Kind.DELETED, AUDIT, lastSeq + 1, missing(lastSeq, r.seq) + " missing before "
                            + where + " (seq " + r.seq + ")");
                } else {
                    f.add(AUDIT, Kind.EDITED, AUDIT, r.seq, "its fields no longer give its hash: it now reads at="
                            + r.at + ", actor=" + r.actor + ", action=" + r.action + ", target=" + r.target
                            + ", outcome=" + r.outcome + (linkOk ? " (its link to seq " + lastSeq + " is intact)" : ""));
                }
            } else if (gap) {
                f.add(AUDIT, Kind.DELETED, AUDIT, lastSeq + 1, missing(lastSeq, r.seq) + " missing: seq " + r.seq
                        + " (" + where + ") was chained after an entry that is gone");
            } else if (rows.stream().noneMatch(w -> Objects.equals(w.entryHash, r.prevHash))) {
                // (when the entry it was chained after is among the neighbours, it moved and is reported itself)
                f.add(AUDIT, Kind.EDITED, AUDIT, r.seq - 1, "seq " + r.seq + " was chained after an entry whose hash"
                        + " was " + r.prevHash + ", but seq " + (r.seq - 1) + " now hashes to " + lastHash
                        + ": seq " + (r.seq - 1) + " was changed and re-hashed");
            }
            lastHash = r.entryHash;
            lastSeq = r.seq;
        }

        /** The seq this row was chained as, when its content and hash fit another place among its neighbours. */
        private static Long placeOf(List<AuditRow> rows, AuditRow r) {
            Set<String> hashes = new HashSet<>();
            List<String> prevs = new ArrayList<>();
            prevs.add(HashChain.GENESIS);
            for (AuditRow w : rows) {
                hashes.add(w.entryHash);
                prevs.add(w.entryHash);
                prevs.add(w.prevHash);
            }
            for (AuditRow asSeq : rows) {
                if (asSeq.seq == r.seq) {
                    continue;
                }
                for (String p : prevs) {
                    if (hashes.contains(r.hash(p, asSeq.seq))) {
                        return asSeq.seq;
                    }
                }
            }
            return null;
        }

        private void head() throws SQLException {
            try (PreparedStatement s = c.prepareStatement("SELECT last_seq, head FROM audit_head WHERE id = 1");
                 ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    f.add(AUDIT, Kind.DELETED, "audit_head", null, "the audit chain's head row (id 1) is missing");
                    return;
                }
                long headSeq = rs.getLong(1);
                String head = trim(rs.getString(2));
                if (headSeq > lastSeq) {
                    f.add(AUDIT, Kind.DELETED, AUDIT, lastSeq + 1, "the newest " + missing(lastSeq, headSeq + 1)
                            + " missing: audit_head.last_seq is " + headSeq + ", the newest entry is seq " + lastSeq);
                } else if (headSeq < lastSeq) {
                    f.add(AUDIT, Kind.INCONSISTENT, AUDIT, lastSeq, "seq " + lastSeq + " is beyond audit_head.last_seq "
                            + headSeq + ": written outside the hub");
                } else if (!lastHash.equals(head)) {
                    f.add(AUDIT, Kind.EDITED, "audit_head", lastSeq, "head does not match the hash of the newest entry"
                            + " (seq " + lastSeq + "): that entry was changed and re-hashed, or the head was changed");
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // History against ledger and current records

    private static final class Ledger {
        private final Connection c;
        private final Findings f;

        Ledger(Connection c, Findings f) {
            this.c = c;
            this.f = f;
        }

        void run() throws SQLException {
            // Retention deletes settled ledger rows from the oldest end only: the ledger starts at pruned_below.
            long prunedBelow = count("SELECT pruned_below FROM ledger_retention WHERE id = 1");
            each("SELECT v.seq, v.record_id FROM record_version v WHERE v.chain_hash IS NOT NULL AND v.seq >= "
                    + prunedBelow + " AND NOT EXISTS"
                    + " (SELECT 1 FROM province_delivery d WHERE d.seq = v.seq) ORDER BY v.seq", rs ->
                    f.add(LEDGER, Kind.DELETED, LEDGER, rs.getLong(1), "the version of record " + rs.getString(2)
                            + " has no delivery ledger row: the province would never be sent it"));
            each("SELECT d.seq, d.record_id, d.state FROM province_delivery d WHERE NOT EXISTS"
                    + " (SELECT 1 FROM record_version v WHERE v.seq = d.seq) ORDER BY d.seq", rs ->
                    f.add(LEDGER, Kind.DELETED, HISTORY, rs.getLong(1), "the delivery ledger owes the province this"
                            + " version of record " + rs.getString(2) + " (" + rs.getString(3)
                            + "), but it is not in the history"));
            each("SELECT d.seq, d.record_id, v.record_id FROM province_delivery d JOIN record_version v"
                    + " ON v.seq = d.seq WHERE d.record_id <> v.record_id ORDER BY d.seq", rs ->
                    f.add(LEDGER, Kind.INCONSISTENT, LEDGER, rs.getLong(1), "the ledger row is for record "
                            + rs.getString(2) + ", the version with this seq is of record " + rs.getString(3)));
            each("SELECT d.seq, d.state, d.batch_id, d.accepted_at, d.reject_code, b.batch_id, b.state"
                    + " FROM province_delivery d LEFT JOIN province_batch b ON b.batch_id = d.batch_id"
                    + " WHERE d.state NOT IN ('PENDING', 'SENDING', 'ACCEPTED', 'REJECTED', 'SUPERSEDED')"
                    + " OR d.state = 'ACCEPTED' AND (d.accepted_at IS NULL OR b.batch_id IS NULL OR b.state <> 'DONE')"
                    + " OR d.state = 'REJECTED' AND (d.reject_code IS NULL OR b.batch_id IS NULL)"
                    + " OR d.state = 'SENDING' AND b.batch_id IS NULL ORDER BY d.seq", rs ->
                    f.add(LEDGER, Kind.INCONSISTENT, LEDGER, rs.getLong(1), ledgerState(rs)));
            each("SELECT d.seq, d.record_id, d.superseded_by, n.record_id FROM province_delivery d"
                    + " LEFT JOIN province_delivery n ON n.seq = d.superseded_by WHERE d.state = 'SUPERSEDED'"
                    + " AND (d.superseded_by IS NULL OR d.superseded_by <= d.seq OR n.seq IS NULL"
                    + " OR n.record_id <> d.record_id) ORDER BY d.seq", rs -> {
                        long by = rs.getLong(3);
                        String why = rs.wasNull() ? "names no newer version"
                                : by <= rs.getLong(1) ? "names seq " + by + ", which is not newer"
                                : rs.getString(4) == null ? "names seq " + by + ", which is not in the ledger"
                                : "names seq " + by + ", a version of another record (" + rs.getString(4) + ")";
                        f.add(LEDGER, Kind.INCONSISTENT, LEDGER, rs.getLong(1), "SUPERSEDED, but " + why);
                    });
            each("SELECT r.record_id, r.version_seq FROM record r WHERE NOT EXISTS"
                    + " (SELECT 1 FROM record_version v WHERE v.seq = r.version_seq) ORDER BY r.record_id", rs ->
                    f.add("record", Kind.DELETED, HISTORY, rs.getLong(2), "record " + rs.getString(1)
                            + "'s current version is not in the history"));
            each("SELECT r.record_id, r.version_seq, m.newest FROM record r JOIN (SELECT record_id, MAX(seq) AS newest"
                    + " FROM record_version GROUP BY record_id) m ON m.record_id = r.record_id"
                    + " WHERE m.newest <> r.version_seq ORDER BY r.record_id", rs ->
                    f.add("record", Kind.INCONSISTENT, "record", rs.getLong(2), "record " + rs.getString(1)
                            + " is current at seq " + rs.getLong(2) + ", but its newest version is seq "
                            + rs.getLong(3)));
            each("SELECT v.record_id, MAX(v.seq) FROM record_version v WHERE NOT EXISTS"
                    + " (SELECT 1 FROM record r WHERE r.record_id = v.record_id) GROUP BY v.record_id"
                    + " ORDER BY v.record_id", rs ->
                    f.add("record", Kind.DELETED, "record", rs.getLong(2), "record " + rs.getString(1)
                            + " has versions (newest seq " + rs.getLong(2) + ") but no current row"));
            currentRows();
            f.checked.put("province_delivery", count("SELECT COUNT(*) FROM province_delivery"));
            f.checked.put("province_delivery rows deleted by retention",
                    count("SELECT pruned_rows FROM ledger_retention WHERE id = 1"));
            f.checked.put("record", count("SELECT COUNT(*) FROM record"));
            f.checked.put("record_version legacy without ledger row", count("SELECT COUNT(*) FROM record_version v"
                    + " WHERE v.chain_hash IS NULL AND NOT EXISTS (SELECT 1 FROM province_delivery d"
                    + " WHERE d.seq = v.seq)"));
        }

        /** Each current record against the version it points at: same record, payload hash and body. */
        private void currentRows() throws SQLException {
            each("SELECT r.record_id, r.version_seq, r.payload_sha256, v.payload_sha256, v.record_id, r.body, v.body"
                    + " FROM record r JOIN record_version v ON v.seq = r.version_seq ORDER BY r.record_id", rs -> {
                        String id = rs.getString(1);
                        List<String> what = new ArrayList<>();
                        if (!id.equals(rs.getString(5))) {
                            what.add("the version at that seq is of record " + rs.getString(5));
                        }
                        if (!Objects.equals(trim(rs.getString(3)), trim(rs.getString(4)))) {
                            what.add("its payload_sha256 is " + trim(rs.getString(3)) + ", the version's is "
                                    + trim(rs.getString(4)));
                        }
                        List<String> paths = jsonDifferences(rs.getString(7), rs.getString(6));
                        if (!paths.isEmpty()) {
                            what.add("its body differs from the version's at " + String.join(", ", paths));
                        }
                        if (!what.isEmpty()) {
                            long seq = rs.getLong(2);
                            // The chain says which copy changed: a version it found changed, or else this row.
                            boolean versionChanged = f.changedVersions.contains(seq);
                            f.add("record", versionChanged ? Kind.INCONSISTENT : Kind.EDITED, "record", seq, "record "
                                    + id + (versionChanged ? " differs from its current version (seq " + seq
                                    + ", found changed above): " : "'s current row was changed (its version at seq "
                                    + seq + " is intact): ") + String.join("; ", what));
                        }
                    });
        }

        private static String ledgerState(ResultSet rs) throws SQLException {
            String state = rs.getString(2);
            String batch = rs.getString(3);
            if (batch == null && !"PENDING".equals(state) && !"SUPERSEDED".equals(state)) {
                return state + " without a batch: the hub sets a version " + state + " only within a batch";
            }
            return switch (state) {
                case "ACCEPTED" -> rs.getObject(4) == null ? "ACCEPTED without an acceptance time"
                        : rs.getString(6) == null ? "ACCEPTED in batch " + batch + ", which does not exist"
                        : "ACCEPTED in batch " + batch + ", which is " + rs.getString(7) + ", not DONE";
                case "REJECTED" -> rs.getString(5) == null ? "REJECTED without the province's code"
                        : "REJECTED in batch " + batch + ", which does not exist";
                case "SENDING" -> "SENDING in batch " + batch + ", which does not exist";
                default -> "state '" + state + "' is not one the hub writes";
            };
        }

        private long count(String sql) throws SQLException {
            try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }

        private void each(String sql, RowHandler h) throws SQLException {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setFetchSize(200);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        h.row(rs);
                    }
                }
            }
        }
    }

    private interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * Streams rows through a check that sees up to {@link #WINDOW} rows on either side of the one it checks,
     * so a break can be compared with its neighbours without holding the table.
     */
    private static final class Window<T> {
        private final List<T> rows = new ArrayList<>();
        private int next;

        interface Check<T> {
            void at(List<T> rows, int index) throws SQLException;
        }

        void add(T row, Check<T> check) throws SQLException {
            rows.add(row);
            while (rows.size() - next > WINDOW) {
                check.at(rows, next++);
                if (next > WINDOW) {
                    rows.remove(0);
                    next--;
                }
            }
        }

        void finish(Check<T> check) throws SQLException {
            while (next < rows.size()) {
                check.at(rows, next++);
            }
        }
    }

    private static String missing(long after, long before) {
        long from = after + 1;
        long to = before - 1;
        return from == to ? "seq " + from + " is" : "seqs " + from + ".." + to + " are";
    }

    /** CHAR(n) columns come back padded on some databases. */
    private static String trim(String s) {
        return s == null ? null : s.trim();
    }
}
