package yingyan.audit;

import static yingyan.audit.Findings.HISTORY;
import static yingyan.audit.Findings.LEDGER;
import static yingyan.audit.StoredValues.jsonDifferences;
import static yingyan.audit.StoredValues.trim;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import yingyan.audit.VerifyReport.Kind;

/**
 * History against ledger and current records: one {@code province_delivery} row per version (from where
 * retention left the ledger, {@code ledger_retention.pruned_below}) and none without one, each record's
 * current row is its newest version with the same payload hash and body, and the ledger's states are ones
 * the hub writes (ACCEPTED in a DONE batch, SUPERSEDED by a newer version...).
 */
final class LedgerCheck {
    private final Connection c;
    private final Findings f;

    LedgerCheck(Connection c, Findings f) {
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

    private interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }
}
