package yingyan.audit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import yingyan.audit.VerifyReport.Finding;
import yingyan.audit.VerifyReport.Kind;

/** Collects findings, listing at most {@link Verifier#MAX_LISTED} per check. */
final class Findings {
    /** The checks, each named by the table it walks. */
    static final String HISTORY = "record_version";
    static final String AUDIT = "audit_log";
    static final String LEDGER = "province_delivery";

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
        if (n <= Verifier.MAX_LISTED) {
            list.add(new Finding(kind, table, seq, detail));
        } else {
            notListed.merge(check, 1L, Long::sum);
        }
    }

    boolean full(String check) {
        return listed.getOrDefault(check, 0L) >= Verifier.MAX_LISTED;
    }

    /** How a gap between two seqs reads in a finding: "seq 5 is" or "seqs 5..7 are". */
    static String missing(long after, long before) {
        long from = after + 1;
        long to = before - 1;
        return from == to ? "seq " + from + " is" : "seqs " + from + ".." + to + " are";
    }
}
