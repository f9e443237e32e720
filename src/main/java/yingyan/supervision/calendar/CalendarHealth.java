package yingyan.supervision.calendar;

import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * {@code /actuator/health/calendar}: UP (a missing year is a warning, never a failure), with the detail
 * {@code calendar: missing 2028} naming every year without a file that is this year or was asked about
 * ({@code calendar: ok} otherwise), the years on file, the version, and why the last reload was refused.
 */
final class CalendarHealth implements HealthIndicator {
    private final ReloadingCalendar calendar;
    private final Clock clock;

    CalendarHealth(ReloadingCalendar calendar, Clock clock) {
        this.calendar = calendar;
        this.clock = clock;
    }

    @Override
    public Health health() {
        FileCalendar c = calendar.current();
        SortedSet<Integer> missing = new TreeSet<>(c.missingYearsAsked());
        int thisYear = LocalDate.now(clock.withZone(Deadlines.BEIJING)).getYear();
        if (!c.years().contains(thisYear)) {
            missing.add(thisYear);
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("calendar", missing.isEmpty() ? "ok"
                : "missing " + missing.stream().map(String::valueOf).collect(Collectors.joining(", ")));
        d.put("years", c.years());
        d.put("version", c.version());
        if (calendar.lastProblem() != null) {
            d.put("reloadRefused", calendar.lastProblem());
        }
        return Health.up().withDetails(d).build();
    }
}
