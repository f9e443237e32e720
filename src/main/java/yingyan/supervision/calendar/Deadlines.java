package yingyan.supervision.calendar;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import yingyan.supervision.WorkingCalendar;

/**
 * Deadline arithmetic (docs/contracts/supervision.md §2), plain on purpose: a limit of N working days counts the
 * working days after the start date (the start day itself does not count) and ends at 24:00 Beijing of the Nth;
 * a limit of 0 ends at 24:00 of the start date.
 */
public final class Deadlines {
    /** Beijing time: every instant becomes a date here before the calendar is asked. */
    public static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");

    private Deadlines() {
    }

    /** The deadline of {@code workingDays} (≥ 0) working days after {@code start}. */
    public static Deadline after(WorkingCalendar calendar, LocalDate start, int workingDays) {
        if (workingDays < 0) {
            throw new IllegalArgumentException("a time limit is not negative: " + workingDays);
        }
        LocalDate day = start;
        for (int counted = 0; counted < workingDays; ) {
            day = day.plusDays(1);
            if (calendar.isWorkingDay(day)) {
                counted++;
            }
        }
        boolean missing = false;
        for (int y = start.getYear(); y <= day.getYear(); y++) {
            missing |= calendar.missing(y);
        }
        return new Deadline(day, day.plusDays(1).atStartOfDay(BEIJING).toInstant(), missing);
    }

    /** The deadline of {@code workingDays} working days after the Beijing date of {@code start}. */
    public static Deadline after(WorkingCalendar calendar, OffsetDateTime start, int workingDays) {
        return after(calendar, beijingDate(start), workingDays);
    }

    /** The Beijing date of an instant, whatever offset it was written with. */
    public static LocalDate beijingDate(OffsetDateTime t) {
        return t.atZoneSameInstant(BEIJING).toLocalDate();
    }
}
