package yingyan.supervision.rules;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.Domain;
import yingyan.supervision.Level;
import yingyan.supervision.Outcome;
import yingyan.supervision.Rule;
import yingyan.supervision.RuleContext;

/** What every rule has: id, version, level, domains. A record of another domain belongs to no key of the rule. */
abstract class BaseRule implements Rule {
    private final String id;
    private final int version;
    private final Level level;
    private final Set<Domain> domains;

    BaseRule(String id, int version, Level level, Domain first, Domain... rest) {
        this.id = id;
        this.version = version;
        this.level = level;
        this.domains = Set.copyOf(EnumSet.of(first, rest));
    }

    @Override
    public String id() { return id; }

    @Override
    public int version() { return version; }

    @Override
    public Level level() { return level; }

    @Override
    public Set<Domain> domains() { return domains; }

    @Override
    public final List<Outcome> evaluate(CanonicalRecord record, java.time.Instant now, RuleContext context) {
        return domains.contains(record.domain()) ? check(record, now, context) : List.of();
    }

    abstract List<Outcome> check(CanonicalRecord record, java.time.Instant now, RuleContext context);

    @Override
    public String toString() {
        return id + " v" + version;
    }
}
