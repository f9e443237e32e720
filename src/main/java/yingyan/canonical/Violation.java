package yingyan.canonical;

/**
 * Why an item cannot become a valid record, in words a person can act on: the field, the
 * offending value (resident IDs already masked), and the rule it breaks.
 */
public record Violation(String field, String value, String rule) {
    public String describe() {
        return field + (value == null ? "" : " = '" + value + "'") + ": " + rule;
    }
}
