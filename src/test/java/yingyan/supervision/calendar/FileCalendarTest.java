package yingyan.supervision.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.LocalDate;
import java.time.Month;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import yingyan.supervision.conf.ConfDirectory;
import yingyan.supervision.conf.ConfFileException;

/** The shipped calendars say what the State Council's notices say; a missing year counts weekends only. */
class FileCalendarTest {
    static final FileCalendar SHIPPED = FileCalendar.load(ConfDirectory.of("hub.supervision.calendar-dir",
            "conf/calendar"));

    @Test
    void theShippedYearsAre2025And2026() {
        assertThat(SHIPPED.years()).contains(2025, 2026);
        assertThat(SHIPPED.missing(2025)).isFalse();
        assertThat(SHIPPED.missing(2026)).isFalse();
    }

    @Test
    void year2025FollowsGuobanFaMingDian2024No12() {
        // Spring Festival Jan 28 – Feb 4 off; Sun Jan 26 and Sat Feb 8 worked.
        assertThat(working(2025, 1, 26)).isTrue();
        assertThat(working(2025, 1, 27)).isTrue();
        for (int d = 28; d <= 31; d++) {
            assertThat(working(2025, 1, d)).as("Jan %d", d).isFalse();
        }
        for (int d = 1; d <= 4; d++) {
            assertThat(working(2025, 2, d)).as("Feb %d", d).isFalse();
        }
        assertThat(working(2025, 2, 5)).isTrue();
        assertThat(working(2025, 2, 8)).isTrue();
        // Labour Day May 1–5, Sun Apr 27 worked; Dragon Boat May 31 – Jun 2; National Day Oct 1–8, Sun Sep 28 and
        // Sat Oct 11 worked.
        assertThat(working(2025, 4, 27)).isTrue();
        assertThat(working(2025, 5, 5)).isFalse();
        assertThat(working(2025, 6, 2)).isFalse();
        assertThat(working(2025, 6, 3)).isTrue();
        assertThat(working(2025, 9, 28)).isTrue();
        assertThat(working(2025, 10, 8)).isFalse();
        assertThat(working(2025, 10, 9)).isTrue();
        assertThat(working(2025, 10, 11)).isTrue();
        assertThat(working(2025, 10, 12)).isFalse();
        assertThat(working(2025, 1, 1)).isFalse();
        assertThat(working(2025, 4, 4)).isFalse();
    }

    @Test
    void year2026FollowsTheNoticeOf2025_11_04() {
        assertThat(working(2026, 1, 2)).isFalse();
        assertThat(working(2026, 1, 4)).as("Sun Jan 4 is worked").isTrue();
        assertThat(working(2026, 2, 14)).as("Sat Feb 14").isTrue();
        assertThat(working(2026, 2, 23)).isFalse();
        assertThat(working(2026, 2, 24)).isTrue();
        assertThat(working(2026, 2, 28)).as("Sat Feb 28").isTrue();
        assertThat(working(2026, 5, 9)).as("Sat May 9").isTrue();
        assertThat(working(2026, 6, 19)).isFalse();
        assertThat(working(2026, 9, 20)).as("Sun Sep 20").isTrue();
        assertThat(working(2026, 9, 25)).isFalse();
        assertThat(working(2026, 10, 7)).isFalse();
        assertThat(working(2026, 10, 8)).isTrue();
        assertThat(working(2026, 10, 10)).as("Sat Oct 10").isTrue();
        assertThat(working(2026, 10, 11)).isFalse();
    }

    @Test
    void aYearWithoutAFileCountsWeekendsOnlyAndWarnsOnce() {
        FileCalendar calendar = FileCalendar.of(Map.of("2026.yaml", "holidays: [2026-10-01]\n"), n -> n);
        ListAppender<ILoggingEvent> log = capture();
        try {
            assertThat(calendar.isWorkingDay(LocalDate.of(2028, Month.JANUARY, 3))).as("a Monday").isTrue();
            assertThat(calendar.isWorkingDay(LocalDate.of(2028, Month.JANUARY, 1))).as("a Saturday").isFalse();
            assertThat(calendar.missing(2028)).isTrue();
        } finally {
            ((Logger) LoggerFactory.getLogger(FileCalendar.class)).detachAppender(log);
        }
        assertThat(log.list).hasSize(1);
        assertThat(log.list.get(0).getLevel()).isEqualTo(Level.WARN);
        assertThat(log.list.get(0).getFormattedMessage()).startsWith("No working-day calendar for 2028");
        assertThat(calendar.missingYearsAsked()).containsExactly(2028);
    }

    @Test
    void theVersionIsAHashOfTheFilesSoAnyChangeChangesIt() {
        FileCalendar a = FileCalendar.of(Map.of("2026.yaml", "holidays: [2026-10-01]\n"), n -> n);
        FileCalendar same = FileCalendar.of(Map.of("2026.yaml", "holidays: [2026-10-01]\n"), n -> n);
        FileCalendar comment = FileCalendar.of(Map.of("2026.yaml", "holidays: [2026-10-01] # National Day\n"), n -> n);
        FileCalendar added = FileCalendar.of(Map.of("2026.yaml", "holidays: [2026-10-01]\n",
                "2027.yaml", "holidays: [2027-10-01]\n"), n -> n);

        assertThat(a.version()).isEqualTo(same.version()).hasSize(64);
        assertThat(comment.version()).isNotEqualTo(a.version());
        assertThat(added.version()).isNotEqualTo(a.version());
    }

    @Test
    void aBadFileRefusesTheWholeCalendarNamingTheFile() {
        assertThatThrownBy(() -> FileCalendar.of(Map.of("2026.yaml", "holidays: [2026-10-01]\n",
                "2027.yaml", "holidays: [2026-10-01]\n"), n -> "conf/calendar/" + n))
                .isInstanceOf(ConfFileException.class)
                .hasMessage("conf/calendar/2027.yaml line 1, holidays[0]: 2026-10-01 is not in 2027");
    }

    @Test
    void filesNotNamedForAYearAreNotCalendars() {
        FileCalendar c = FileCalendar.of(Map.of("README.yaml", "anything: 1\n", "2026.yaml",
                "holidays: [2026-10-01]\n"), n -> n);
        assertThat(c.years()).containsExactly(2026);
    }

    private static boolean working(int y, int m, int d) {
        return SHIPPED.isWorkingDay(LocalDate.of(y, m, d));
    }

    private static ListAppender<ILoggingEvent> capture() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(FileCalendar.class)).addAppender(appender);
        return appender;
    }
}
