package yingyan.supervision.rules;

import java.math.BigDecimal;
import java.util.Map;

/**
 * One rule's entry of {@code rules.yaml}: its switch, its version (at least the code's, raised by whoever changes a
 * threshold's meaning, so the engine re-evaluates) and its typed thresholds, validated when read.
 */
record RuleSettings(boolean enabled, int version, Map<String, Object> values) {
    RuleSettings {
        values = Map.copyOf(values);
    }

    int integer(String key) {
        return (Integer) values.get(key);
    }

    BigDecimal decimal(String key) {
        return (BigDecimal) values.get(key);
    }
}
