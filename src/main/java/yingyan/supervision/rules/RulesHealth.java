package yingyan.supervision.rules;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import yingyan.supervision.Rule;

/**
 * {@code /actuator/health/supervisionRules}: UP (the hub runs with the last good rules), with the rules on and
 * their versions, and, while the files on disk are bad, why the last reload was refused (file, line, key).
 */
final class RulesHealth implements HealthIndicator {
    private final RuleBook book;

    RulesHealth(RuleBook book) {
        this.book = book;
    }

    @Override
    public Health health() {
        Map<String, Object> rules = new LinkedHashMap<>();
        for (Rule r : book.rules()) {
            rules.put(r.id(), r.version());
        }
        Health.Builder h = Health.up().withDetail("rules", rules);
        if (book.lastProblem() != null) {
            h.withDetail("reloadRefused", book.lastProblem());
        }
        return h.build();
    }
}
