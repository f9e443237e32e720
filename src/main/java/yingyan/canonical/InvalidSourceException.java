package yingyan.canonical;

import java.util.List;

/**
 * Thrown by a mapping or validation step when a source item cannot become a valid v1 record.
 * Carries the violations; the item goes to quarantine, the rest of its batch goes on.
 */
public class InvalidSourceException extends RuntimeException {
    private final transient List<Violation> violations;

    public InvalidSourceException(List<Violation> violations) {
        super(describe(violations));
        this.violations = List.copyOf(violations);
    }

    public InvalidSourceException(String field, String value, String rule) {
        this(List.of(new Violation(field, value, rule)));
    }

    public List<Violation> violations() {
        return violations;
    }

    private static String describe(List<Violation> vs) {
        return String.join("; ", vs.stream().map(Violation::describe).toList());
    }
}
