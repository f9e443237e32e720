package yingyan.supervision;

import java.util.Optional;

/**
 * What a rule decided for one alert key: a finding (raise, or update the open alert), or none (clear an
 * open alert of this key, if any).
 */
public record Outcome(String key, Optional<Finding> finding) {
    public static Outcome found(Finding finding) {
        return new Outcome(finding.key(), Optional.of(finding));
    }

    public static Outcome none(String key) {
        return new Outcome(key, Optional.empty());
    }
}
