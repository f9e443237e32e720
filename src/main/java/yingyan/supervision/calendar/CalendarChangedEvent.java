package yingyan.supervision.calendar;

/**
 * Published when a hot reload changed the calendar files: every deadline the change touches is to be computed
 * again, decided cases included (docs/contracts/supervision.md §1).
 */
public record CalendarChangedEvent(String oldVersion, String newVersion) {
}
