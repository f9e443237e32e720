package yingyan.audit;

import static yingyan.audit.Findings.AUDIT;
import static yingyan.audit.Findings.missing;
import static yingyan.audit.StoredValues.trim;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import yingyan.audit.VerifyReport.Kind;

/**
 * The audit log's hash chain ({@code audit_log}, {@link HashChain#action}) and its head {@code audit_head};
 * a break is diagnosed from the entries around it (REORDERED, DELETED or EDITED).
 */
final class AuditChainCheck extends ChainCheck<AuditChainCheck.AuditRow> {
    private static final Names NAMES = new Names(AUDIT, "audit_head", "head", "the audit chain's", "hash", "entry",
            "entry");

    record AuditRow(long seq, OffsetDateTime at, String actor, String action, String target, String outcome,
                    String prevHash, String entryHash) implements ChainCheck.Row {
        @Override
        public String hash(String prev, long asSeq) {
            return HashChain.action(prev, asSeq, at, actor, action, target, outcome);
        }
    }

    private String lastHash = HashChain.GENESIS;
    private long lastSeq;
    private long entries;

    AuditChainCheck(Connection c, Findings f) {
        super(c, f, NAMES);
    }

    void run() throws SQLException {
        walk("SELECT seq, at, actor, action, target, outcome, prev_hash, entry_hash FROM audit_log ORDER BY seq",
                500);
    }

    @Override
    AuditRow read(ResultSet rs) throws SQLException {
        return new AuditRow(rs.getLong(1), rs.getObject(2, OffsetDateTime.class), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), trim(rs.getString(7)), trim(rs.getString(8)));
    }

    @Override
    void end() throws SQLException {
        Head h = readHead();
        if (h != null) {
            compareHead(h, lastSeq, lastHash);
        }
        f.checked.put("audit_log", entries);
    }

    @Override
    void check(List<AuditRow> rows, int i) {
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
            Long movedFrom = placeOf(rows, r, prevs(rows), hashes(rows));
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

    /** The hashes a moved row may have been chained after: the start, and every neighbour's link and hash. */
    private static List<String> prevs(List<AuditRow> rows) {
        List<String> prevs = new ArrayList<>();
        prevs.add(HashChain.GENESIS);
        for (AuditRow w : rows) {
            prevs.add(w.entryHash);
            prevs.add(w.prevHash);
        }
        return prevs;
    }

    private static Set<String> hashes(List<AuditRow> rows) {
        Set<String> hashes = new HashSet<>();
        for (AuditRow w : rows) {
            hashes.add(w.entryHash);
        }
        return hashes;
    }
}
