package yingyan.supervision.calendar;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A time limit's deadline: its last working day, the instant it ends (24:00 Beijing of that day, i.e. the next
 * day's 00:00) and whether a year it was counted through has no calendar file.
 */
public record Deadline(LocalDate lastDay, Instant end, boolean calendarMissing) {
    /** 00:00 Beijing of the last working day. */
    public Instant lastDayStart() {
        return lastDay.atStartOfDay(Deadlines.BEIJING).toInstant();
    }
}
