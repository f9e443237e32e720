package yingyan.supervision.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Deadline arithmetic against the contract's examples and, over whole years, against a reference built another
 * way: the list of every working day, read from the shipped files with plain SnakeYAML, where the deadline of N
 * is simply the Nth entry after the start date.
 */
class DeadlinesTest {
    private static final FileCalendar CALENDAR = FileCalendarTest.SHIPPED;

    @Test
    void fiveWorkingDaysFromThu24SeptemberJumpTheMidAutumnAndNationalDayHolidays() {
        Deadline d = Deadlines.after(CALENDAR, LocalDate.of(2026, 9, 24), 5);

        assertThat(d.lastDay()).isEqualTo(LocalDate.of(2026, 10, 9));
        assertThat(d.end()).isEqualTo(OffsetDateTime.parse("2026-10-10T00:00:00+08:00").toInstant());
        assertThat(d.calendarMissing()).isFalse();
    }

    @Test
    void twoWorkingDaysFromThu17SeptemberEndOnTheWorkedSunday() {
        Deadline d = Deadlines.after(CALENDAR, LocalDate.of(2026, 9, 17), 2);

        assertThat(d.lastDay()).isEqualTo(LocalDate.of(2026, 9, 20));
        assertThat(d.end()).isEqualTo(OffsetDateTime.parse("2026-09-21T00:00:00+08:00").toInstant());
    }

    @Test
    void theAlertExampleOfSection4() {
        // Accepted Mon 2026-03-02, 10 promised working days: due 2026-03-16, late from 2026-03-17 00:00 +08:00.
        Deadline d = Deadlines.after(CALENDAR, OffsetDateTime.parse("2026-03-02T10:02:11+08:00"), 10);

        assertThat(d.lastDay()).isEqualTo(LocalDate.of(2026, 3, 16));
        assertThat(d.end()).isEqualTo(Instant.parse("2026-03-16T16:00:00Z"));
    }

    @Test
    void zeroEndsAtMidnightOfTheAcceptanceDateEvenOnAHoliday() {
        Deadline d = Deadlines.after(CALENDAR, LocalDate.of(2026, 10, 3), 0);

        assertThat(d.lastDay()).isEqualTo(LocalDate.of(2026, 10, 3));
        assertThat(d.end()).isEqualTo(OffsetDateTime.parse("2026-10-04T00:00:00+08:00").toInstant());
        assertThat(d.lastDayStart()).isEqualTo(OffsetDateTime.parse("2026-10-03T00:00:00+08:00").toInstant());
    }

    @Test
    void aTimeIsTakenInBeijingBeforeItsDate() {
        // 2026-09-24T17:30Z is already Friday 25 September (a holiday) in Beijing.
        Deadline utc = Deadlines.after(CALENDAR, OffsetDateTime.parse("2026-09-24T17:30:00Z"), 1);
        Deadline beijing = Deadlines.after(CALENDAR, LocalDate.of(2026, 9, 25), 1);

        assertThat(utc).isEqualTo(beijing);
        assertThat(utc.lastDay()).isEqualTo(LocalDate.of(2026, 9, 28));
    }

    @Test
    void aDeadlineIntoAYearWithoutAFileSaysSo() {
        Deadline intoMissing = Deadlines.after(CALENDAR, LocalDate.of(2026, 12, 24), 10);
        Deadline withinKnown = Deadlines.after(CALENDAR, LocalDate.of(2026, 12, 1), 10);

        assertThat(intoMissing.calendarMissing()).isTrue();
        assertThat(intoMissing.lastDay()).isEqualTo(LocalDate.of(2027, 1, 7));
        assertThat(withinKnown.calendarMissing()).isFalse();
    }

    @Test
    void everyStartIn2025And2026AgreesWithTheListOfWorkingDays() throws IOException {
        List<LocalDate> workingDays = referenceWorkingDays(LocalDate.of(2025, 1, 1), LocalDate.of(2027, 12, 31));
        int checked = 0;
        for (LocalDate start = LocalDate.of(2025, 1, 1); start.getYear() <= 2026; start = start.plusDays(1)) {
            for (int n : new int[] {0, 1, 2, 3, 5, 7, 10, 15, 20, 30, 45, 60, 90}) {
                Deadline d = Deadlines.after(CALENDAR, start, n);
                LocalDate expected = n == 0 ? start : nthAfter(workingDays, start, n);

                assertThat(d.lastDay()).as("%d working days after %s", n, start).isEqualTo(expected);
                assertThat(d.end()).isEqualTo(expected.plusDays(1).atStartOfDay(Deadlines.BEIJING).toInstant());
                assertThat(d.calendarMissing()).as("%d after %s", n, start).isEqualTo(expected.getYear() > 2026);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(730 * 13);
    }

    @Test
    void aYearWithoutAFileAgreesWithWeekdaysOnlyAndIsMissingThroughout() {
        FileCalendar none = FileCalendar.of(Map.of(), n -> n);
        for (LocalDate start = LocalDate.of(2028, 1, 1); start.getYear() == 2028; start = start.plusDays(1)) {
            for (int n = 0; n <= 25; n++) {
                Deadline d = Deadlines.after(none, start, n);
                LocalDate expected = start;
                for (int left = n; left > 0; ) {
                    expected = expected.plusDays(1);
                    if (expected.getDayOfWeek().getValue() <= 5) {
                        left--;
                    }
                }
                assertThat(d.lastDay()).as("%d after %s", n, start).isEqualTo(expected);
                assertThat(d.calendarMissing()).isTrue();
            }
        }
    }

    private static LocalDate nthAfter(List<LocalDate> workingDays, LocalDate start, int n) {
        int i = 0;
        while (!workingDays.get(i).isAfter(start)) {
            i++;
        }
        return workingDays.get(i + n - 1);
    }

    /** Every working day from {@code from} to {@code to}, straight from the files' lists; 2027 has none. */
    @SuppressWarnings("unchecked")
    private static List<LocalDate> referenceWorkingDays(LocalDate from, LocalDate to) throws IOException {
        Set<LocalDate> off = new HashSet<>();
        Set<LocalDate> on = new HashSet<>();
        for (int year : new int[] {2025, 2026}) {
            Map<String, List<Object>> file = new Yaml().load(Files.readString(Path.of("conf/calendar/" + year + ".yaml")));
            file.get("holidays").forEach(d -> off.add(date(d)));
            file.get("workdays").forEach(d -> on.add(date(d)));
        }
        List<LocalDate> days = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            boolean weekend = d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY;
            if (on.contains(d) || (!weekend && !off.contains(d))) {
                days.add(d);
            }
        }
        return days;
    }

    /** Plain SnakeYAML makes an unquoted date a java.util.Date at midnight UTC. */
    private static LocalDate date(Object value) {
        return ((java.util.Date) value).toInstant().atZone(java.time.ZoneOffset.UTC).toLocalDate();
    }
}
