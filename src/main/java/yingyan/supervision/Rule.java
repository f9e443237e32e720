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
     * Evaluates the rule for the current version of {@code record} at {@code now}. Returns one outcome per
     * alert key the record belongs to (a record rule: the record id; a set rule: its set key), present or
     * absent; an empty list when the record belongs to no key of this rule (nothing to raise or clear).
     */
    List<Outcome> evaluate(CanonicalRecord record, Instant now, RuleContext context);
}
