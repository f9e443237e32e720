package yingyan.supervision;

import java.time.LocalDate;

/** The working-day calendar (docs/contracts/supervision.md §1). */
public interface WorkingCalendar {
    boolean isWorkingDay(LocalDate day);

    /** True when {@code year} has no calendar file (weekends only are days off then). */
    boolean missing(int year);

    /** The calendar files' version (a hash of their contents), named in every alert's inputs. */
    String version();
}
