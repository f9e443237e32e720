package yingyan.supervision.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import yingyan.supervision.conf.ConfFileException;

/** A calendar file a person got wrong refuses, naming the file, the line and the key. */
class CalendarFileReaderTest {
    private static final String FILE = "conf/calendar/2026.yaml";

    @Test
    void readsHolidaysAndWorkdaysQuotedOrNot() {
        CalendarYear y = CalendarFileReader.read(FILE, 2026, """
                holidays:
                  - 2026-10-01
                  - "2026-10-02"
                workdays: [2026-10-10]
                """);

        assertThat(y.holidays()).containsExactlyInAnyOrder(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 10, 2));
        assertThat(y.workdays()).containsExactly(LocalDate.of(2026, 10, 10));
    }

    @Test
    void aDateBothHolidayAndWorkdayNamesTheLaterLineAndTheEarlierOne() {
        assertRefused("""
                holidays:
                  - 2026-10-01
                  - 2026-10-10
                workdays:
                  - 2026-09-20
                  - 2026-10-10
                """, 6, "workdays[1]", "2026-10-10 is both a holiday and a workday (holidays[1] on line 3)");
    }

    @Test
    void anImpossibleDateIsNamed() {
        assertRefused("""
                holidays:
                  - 2026-02-15
                  - 2026-02-30
                """, 3, "holidays[1]", "'2026-02-30' is not a date (yyyy-MM-dd)");
    }

    @Test
    void aDateOfAnotherYearIsNamed() {
        assertRefused("""
                holidays:
                  - 2026-01-01
                workdays:
                  - 2025-01-26
                """, 4, "workdays[0]", "2025-01-26 is not in 2026");
    }

    @Test
    void aWorkdayOnAWeekdayIsASlip() {
        assertRefused("""
                holidays: [2026-10-01]
                workdays: [2026-10-09]
                """, 2, "workdays[0]", "2026-10-09 is a FRIDAY: a workday (调休) is a Saturday or Sunday");
    }

    @Test
    void aMisspeltKeyIsRefusedRatherThanLosingItsDays() {
        assertRefused("""
                holidays: [2026-10-01]
                workday: [2026-10-10]
                """, 2, "workday", "unknown key (a calendar has holidays and workdays only)");
    }

    @Test
    void aKeyGivenTwiceIsRefused() {
        assertRefused("""
                holidays: [2026-10-01]
                holidays: [2026-10-02]
                """, 2, "holidays", "given twice (first on line 1)");
    }

    @Test
    void aFileThatIsNotYamlNamesItsLine() {
        assertThatThrownBy(() -> CalendarFileReader.read(FILE, 2026, "holidays:\n  - 2026-10-01\n  - [2026-10-02\n"))
                .isInstanceOf(ConfFileException.class)
                .hasMessageStartingWith(FILE + " line 4: not readable as YAML");
    }

    @Test
    void anEmptyFileOrOneWithoutHolidaysIsRefused() {
        assertThatThrownBy(() -> CalendarFileReader.read(FILE, 2026, "# nothing yet\n"))
                .hasMessage(FILE + " line 1: empty: a calendar names the year's holidays and workdays");
        assertRefused("workdays: [2026-10-10]\n", 1, "holidays", "missing (every year has days off)");
    }

    @Test
    void aListThatIsNotAListIsNamed() {
        assertRefused("holidays: 2026-10-01\n", 1, "holidays", "expected a list, found '2026-10-01'");
    }

    private static void assertRefused(String yaml, int line, String key, String problem) {
        assertThatThrownBy(() -> CalendarFileReader.read(FILE, 2026, yaml))
                .isInstanceOfSatisfying(ConfFileException.class, e -> {
                    assertThat(e.file()).isEqualTo(FILE);
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.key()).isEqualTo(key);
                })
                .hasMessage(FILE + " line " + line + ", " + key + ": " + problem);
    }
}
