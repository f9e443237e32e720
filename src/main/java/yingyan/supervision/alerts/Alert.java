package yingyan.supervision.alerts;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import yingyan.canonical.CanonicalTime;
import yingyan.canonical.Domain;
import yingyan.supervision.Input;
import yingyan.supervision.Level;

/**
 * An alert, v1 (supervision.md §4; {@code schemas/alert/v1/}): what the API, the alert feed and the province
 * push carry. Times in Beijing time. State: OPEN (neither resolved nor cleared), RESOLVED, CLEARED.
 *
 * @param calendarVersion the calendar files' hash the alert was computed with (null: no calendar read)
 */
@JsonPropertyOrder({"alertId", "rule", "ruleVersion", "level", "recordIds", "regionCode", "departmentCode",
        "domain", "raisedAt", "resolvedAt", "clearedAt", "calendarMissing", "calendarVersion", "inputs", "message"})
public record Alert(String alertId, String rule, int ruleVersion, Level level, List<String> recordIds,
                    String regionCode, String departmentCode, Domain domain, OffsetDateTime raisedAt,
                    OffsetDateTime resolvedAt, OffsetDateTime clearedAt, boolean calendarMissing,
                    String calendarVersion, List<Input> inputs, String message) {

    /** OPEN, RESOLVED or CLEARED (cleared wins: a correction took the finding away). */
    public enum State { OPEN, RESOLVED, CLEARED }

    public Alert {
        recordIds = List.copyOf(recordIds);
        inputs = List.copyOf(inputs);
    }

    public State state() {
        return clearedAt != null ? State.CLEARED : resolvedAt != null ? State.RESOLVED : State.OPEN;
    }

    static OffsetDateTime beijing(Instant t) {
        return t == null ? null : t.atOffset(CanonicalTime.BEIJING);
    }
}
