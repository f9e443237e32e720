package yingyan.supervision;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.Domain;

/**
 * One supervision rule: an id from the contract's tables, a version (raised when its logic or its
 * configuration changes meaning), the domains it covers. Pure: the same record, instant and context give
 * the same outcomes.
 */
public interface Rule {
    String id();

    int version();

    Level level();

    Set<Domain> domains();

    /** Whether the clock must re-run it (deadline rules: what it finds changes with time alone). */
    default boolean timeDependent() {
        return false;
    }

    /**
     * The instants at which what this rule finds for {@code record} can change with time alone (the rule compares
     * {@code now} with each: before it one outcome, from it on another), for the clock to revisit the record only
     * then. Null when the rule cannot say: the clock then evaluates the record at every pass. A rule that is not
     * {@link #timeDependent()} changes with no instant.
     */
    default List<Instant> changesAt(CanonicalRecord record, WorkingCalendar calendar) {
        return timeDependent() ? null : List.of();
    }

    /**
     * Evaluates the rule for the current version of {@code record} at {@code now}. Returns one outcome per
     * alert key the record belongs to (a record rule: the record id; a set rule: its set key), present or
     * absent; an empty list when the record belongs to no key of this rule (nothing to raise or clear).
     */
    List<Outcome> evaluate(CanonicalRecord record, Instant now, RuleContext context);
}
