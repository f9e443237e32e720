package yingyan.supervision;

import java.time.Instant;
import java.util.List;

/**
 * A rule's finding for one key. {@code raisedAt} is the instant the condition became true (a deadline's
 * end), even when noticed later; {@code resolvedAt} is set when a time-limit case got decided late (the
 * finding stays, no longer actionable). {@code inputs} name the exact record versions it was computed from;
 * {@code calendarVersion} the calendar files' hash when a calendar was read (null otherwise).
 */
public record Finding(String rule, int ruleVersion, Level level, String key, List<Input> inputs,
                      Instant raisedAt, Instant resolvedAt, String message,
                      boolean calendarMissing, String calendarVersion) {
    public Finding {
        inputs = List.copyOf(inputs);
    }

    public List<String> recordIds() {
        return inputs.stream().map(Input::recordId).toList();
    }
}
