package yingyan.audit;

import java.util.List;
import java.util.Map;

/**
 * What {@link Verifier} found: every finding (where, what), how many more of each check were left out
 * of the list, and how much was checked.
 *
 * @param findings what is wrong, in the order found (at most {@link Verifier#MAX_LISTED} per check)
 * @param notListed findings beyond the listed ones, by check
 * @param checked how many rows each part covered (e.g. {@code record_version chained}, {@code audit_log})
 */
public record VerifyReport(List<Finding> findings, Map<String, Long> notListed, Map<String, Long> checked) {

    /** True when both chains are intact and the history agrees with the ledger. */
    public boolean intact() {
        return findings.isEmpty() && notListed.values().stream().allMatch(n -> n == 0);
    }

    /** What kind of damage a finding shows. */
    public enum Kind {
        /** a row's content no longer matches what was written (its hash, or another copy of it) */
        EDITED,
        /** a row that was written is gone */
        DELETED,
        /** rows are intact but not where they were written (seqs or contents swapped) */
        REORDERED,
        /** two tables disagree in a way the hub never writes them */
        INCONSISTENT
    }

    /**
     * One finding.
     *
     * @param kind what happened
     * @param table the table where it shows
     * @param seq the row's seq ({@code record_version}, {@code audit_log}, {@code province_delivery}), or null
     *        when the finding is about something else (a record id, the chain head)
     * @param detail where and what differs, in words
     */
    public record Finding(Kind kind, String table, Long seq, String detail) {
        @Override
        public String toString() {
            return kind + " " + table + (seq == null ? "" : " seq " + seq) + ": " + detail;
        }
    }
}
