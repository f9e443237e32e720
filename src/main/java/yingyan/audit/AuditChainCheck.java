package yingyan.audit;

import static yingyan.audit.Findings.AUDIT;
import static yingyan.audit.Findings.missing;
import static yingyan.audit.StoredValues.trim;

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

/**
 * The audit log's hash chain ({@code audit_log}, {@link HashChain#action}) and its head {@code audit_head};
 * a break is diagnosed from the entries around it (REORDERED, DELETED or EDITED).
 */
final class AuditChainCheck {
    private record AuditRow(long seq, OffsetDateTime at, String actor, String action, String target, String outcome,
                            String prevHash, String entryHash) {
        String hash(String prev, long asSeq) {
            return HashChain.action(prev, asSeq, at, actor, action, target, outcome);
        }
    }

    private final Connection c;
    private final Findings f;
    private final ChainWindow<AuditRow> window = new ChainWindow<>();
    private String lastHash = HashChain.GENESIS;
    private long lastSeq;
    private long entries;

    AuditChainCheck(Connection c, Findings f) {
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
