package yingyan.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import yingyan.supervision.calendar.ReloadingCalendar;
import yingyan.supervision.conf.ConfFileException;
import yingyan.supervision.conf.SupervisionFilesProperties;
import yingyan.supervision.rules.RuleBook;
import yingyan.testsupport.Hubs;

/**
 * A bad calendar or rules file refuses the start with a message naming the file, the line and the key (the
 * exception and Spring Boot's "APPLICATION FAILED TO START" report); a bad edit after a good start keeps the
 * last good configuration, and the log and the health say why (docs/contracts/supervision.md §1, §3). The
 * refusals run the supervision files' own Spring configuration (the beans the hub has), and one runs the whole
 * hub; the unit tests of the readers (CalendarFileReaderTest) cover every kind of bad line.
 */
@ExtendWith(OutputCaptureExtension.class)
class SupervisionFilesStartTest {
    private static final Path CALENDAR = Path.of("conf/calendar");
    private static final Path RULES = Path.of("conf/supervision");

    @Test
    void anUnreadableCalendarFileRefusesTheStart(@TempDir Path tmp, CapturedOutput out) throws IOException {
        Path cal = copy(CALENDAR, tmp.resolve("calendar"));
        Files.writeString(cal.resolve("2026.yaml"), "holidays:\n  - 2026-10-01\n workdays: [2026-10-10\n");
        String file = cal.resolve("2026.yaml").toString();

        ConfFileException e = refused(cal, RULES);
        assertThat(e.file()).isEqualTo(file);
        assertThat(e.getMessage()).startsWith(file + " line 3").contains("not readable as YAML");
        assertThat(out.getAll()).contains("APPLICATION FAILED TO START", e.getMessage());
    }

    @Test
    void aDayThatIsBothHolidayAndWorkdayRefusesTheStart(@TempDir Path tmp, CapturedOutput out) throws IOException {
        Path file = edit(copy(CALENDAR, tmp.resolve("calendar")).resolve("2026.yaml"), "  - 2026-10-07\n",
                "  - 2026-10-07\n  - 2026-10-10\n");

        ConfFileException e = refused(file.getParent(), RULES);
        int workdayLine = lineOf(file, "  - 2026-10-10  # Sat");
        assertThat(e.getMessage()).isEqualTo(file + " line " + workdayLine + ", workdays[5]: 2026-10-10 is both a"
                + " holiday and a workday (holidays[33] on line " + lineOf(file, "  - 2026-10-10") + ")");
        assertThat(out.getAll()).contains("APPLICATION FAILED TO START", e.getMessage());
    }

    @Test
    void anUnknownRuleIdRefusesTheWholeHubsStart(@TempDir Path tmp, CapturedOutput out) throws IOException {
        Path file = edit(copy(RULES, tmp.resolve("supervision")).resolve("rules.yaml"), "  OVER_BUDGET:",
                "  OVER_BUDGETT:");

        assertThatThrownBy(() -> Hubs.start(Map.of("hub.supervision.rules-dir", file.getParent().toString())).close())
                .satisfies(t -> {
                    ConfFileException e = confFileException(t);
                    assertThat(e.getMessage()).startsWith(file + " line " + lineOf(file, "  OVER_BUDGETT:")
                            + ", rules.OVER_BUDGETT: unknown rule id (known: LATE_ACCEPTANCE, ");
                });
        assertThat(out.getAll()).contains("APPLICATION FAILED TO START",
                file + " line " + lineOf(file, "  OVER_BUDGETT:") + ", rules.OVER_BUDGETT: unknown rule id");
    }

    @Test
    void aNegativeThresholdRefusesTheStart(@TempDir Path tmp, CapturedOutput out) throws IOException {
        Path file = edit(copy(RULES, tmp.resolve("supervision")).resolve("rules.yaml"), "threshold: \"1000000.00\"",
                "threshold: \"-5.00\"");

        ConfFileException e = refused(CALENDAR, file.getParent());
        assertThat(e.getMessage()).startsWith(file + " line " + lineOf(file, "  SINGLE_SOURCE_LARGE:")
                + ", rules.SINGLE_SOURCE_LARGE.threshold: ").contains("-5.00");
        assertThat(out.getAll()).contains("APPLICATION FAILED TO START", e.getMessage());
    }

    @Test
    void aBadEditOnHotReloadKeepsTheLastGoodConfigurationAndSaysWhy(@TempDir Path tmp, CapturedOutput out)
            throws IOException {
        Path cal = copy(CALENDAR, tmp.resolve("calendar"));
        Path rules = copy(RULES, tmp.resolve("supervision"));
        Path calFile = cal.resolve("2026.yaml");
        Path rulesFile = rules.resolve("rules.yaml");
        LocalDate tiaoxiu = LocalDate.of(2026, 10, 10);
        try (ConfigurableApplicationContext ctx = supervisionFiles(cal, rules, "200ms").run()) {
            ReloadingCalendar calendar = ctx.getBean(ReloadingCalendar.class);
            RuleBook book = ctx.getBean(RuleBook.class);
            HealthIndicator calendarHealth = ctx.getBean("calendar", HealthIndicator.class);
            HealthIndicator rulesHealth = ctx.getBean("supervisionRules", HealthIndicator.class);
            String goodVersion = calendar.version();
            List<String> goodRules = ids(book);
            assertThat(calendar.isWorkingDay(tiaoxiu)).isTrue();
            assertThat(goodRules).contains("SINGLE_SOURCE_LARGE");

            // Bad edits: a contradictory day, a negative threshold.
            String goodCalendar = Files.readString(calFile);
            edit(calFile, "  - 2026-10-07\n", "  - 2026-10-07\n  - 2026-10-10\n");
            String goodRulesText = Files.readString(rulesFile);
            edit(rulesFile, "threshold: \"1000000.00\"", "threshold: \"-5.00\"");
            String calendarWhy = calFile + " line " + lineOf(calFile, "  - 2026-10-10  # Sat") + ", workdays[5]";
            String rulesWhy = rulesFile + " line " + lineOf(rulesFile, "  SINGLE_SOURCE_LARGE:")
                    + ", rules.SINGLE_SOURCE_LARGE.threshold";
            await("both reloads refused").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(detail(calendarHealth, "reloadRefused")).startsWith(calendarWhy);
                assertThat(detail(rulesHealth, "reloadRefused")).startsWith(rulesWhy);
            });
            assertThat(calendarHealth.health().getStatus().getCode()).isEqualTo("UP");
            assertThat(calendar.version()).isEqualTo(goodVersion);
            assertThat(calendar.isWorkingDay(tiaoxiu)).as("the last good calendar's 调休 Saturday").isTrue();
            assertThat(ids(book)).isEqualTo(goodRules);
            assertThat(out.getAll()).contains("Calendar not reloaded, the last good one (version " + goodVersion
                    + ") stays: " + calendarWhy, "Supervision rules not reloaded, the last good ones stay: " + rulesWhy);

            // Good edits are taken (the reload was running all along): the refusal is gone from the health.
            Files.writeString(calFile, goodCalendar);
            edit(calFile, "  - 2026-10-10  # Sat, 国庆节\n", "");
            Files.writeString(rulesFile, goodRulesText);
            edit(rulesFile, "SINGLE_SOURCE_LARGE: {enabled: true", "SINGLE_SOURCE_LARGE: {enabled: false");
            await("both reloaded").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(calendar.isWorkingDay(tiaoxiu)).isFalse();
                assertThat(ids(book)).doesNotContain("SINGLE_SOURCE_LARGE");
                assertThat(calendarHealth.health().getDetails()).doesNotContainKey("reloadRefused");
                assertThat(rulesHealth.health().getDetails()).doesNotContainKey("reloadRefused");
            });
            assertThat(calendar.version()).isNotEqualTo(goodVersion);
        }
    }

    /** The supervision files' own beans (calendar, rules, their health and reload), as the hub declares them. */
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(SupervisionFilesProperties.class)
    @ComponentScan({"yingyan.supervision.calendar", "yingyan.supervision.rules"})
    static class SupervisionFiles {
    }

    private static SpringApplicationBuilder supervisionFiles(Path calendarDir, Path rulesDir, String reload) {
        return new SpringApplicationBuilder(SupervisionFiles.class).web(WebApplicationType.NONE)
                .properties("hub.supervision.calendar-dir=" + calendarDir, "hub.supervision.rules-dir=" + rulesDir,
                        "hub.supervision.reload-interval=" + reload);
    }

    private static ConfFileException refused(Path calendarDir, Path rulesDir) {
        SpringApplicationBuilder app = supervisionFiles(calendarDir, rulesDir, "0s");
        Throwable t = null;
        try (ConfigurableApplicationContext ignored = app.run()) {
            // started: the assertion below fails
        } catch (RuntimeException e) {
            t = e;
        }
        assertThat(t).as("the start refused").isNotNull();
        return confFileException(t);
    }

    private static ConfFileException confFileException(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConfFileException e) {
                return e;
            }
        }
        throw new AssertionError("no ConfFileException behind " + t, t);
    }

    private static String detail(HealthIndicator h, String key) {
        Health health = h.health();
        Object v = health.getDetails().get(key);
        return v == null ? "" : v.toString();
    }

    private static List<String> ids(RuleBook book) {
        return book.rules().stream().map(Rule::id).toList();
    }

    /** The 1-based number of the first line of {@code file} that starts with {@code start}. */
    private static int lineOf(Path file, String start) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(start)) {
                return i + 1;
            }
        }
        throw new AssertionError(start + " not in " + file);
    }

    /** {@code file} with {@code old} replaced (it must be there: a changed conf/ file fails the test, not hides it). */
    private static Path edit(Path file, String old, String now) throws IOException {
        String text = Files.readString(file);
        assertThat(text).as(file.toString()).contains(old);
        Files.writeString(file, text.replace(old, now));
        return file;
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }
}
