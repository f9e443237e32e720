package yingyan.supervision.calendar;

import java.time.LocalDate;
import java.util.Set;

/** One year's file: its days off ({@code holidays}) and its 调休 working weekend days ({@code workdays}). */
record CalendarYear(int year, Set<LocalDate> holidays, Set<LocalDate> workdays) {
    CalendarYear {
        holidays = Set.copyOf(holidays);
        workdays = Set.copyOf(workdays);
    }
}
