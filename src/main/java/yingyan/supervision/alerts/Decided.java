package yingyan.supervision.alerts;

import java.util.Map;
import yingyan.canonical.CanonicalRecord;
import yingyan.supervision.Outcome;
import yingyan.supervision.Rule;

/**
 * What a rule decided for one key while evaluating the current version of one record.
 *
 * @param recordId   the record evaluated
 * @param versionSeq its {@code record.version_seq} when it was read: the outcome is dropped if the record has
 *                   moved on since (its newer version is evaluated in its turn)
 * @param seen       the records the evaluation read (the record and, for a set rule, the others of its key),
 *                   by record id: where an alert's region, department and domain come from
 */
record Decided(Rule rule, String recordId, long versionSeq, Outcome outcome, Map<String, CanonicalRecord> seen) {
}
