package yingyan.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import yingyan.store.FlowMinutes;

/** "Last minute" and "last hour" from per-minute buckets: whole buckets plus the share of the oldest one. */
class FlowStatsTest {
    private static final Instant NOW = Instant.parse("2026-11-28T10:30:15Z"); // a quarter into 10:30

    private static FlowMinutes.Minute at(String minute, long applied) {
        return new FlowMinutes.Minute("a", OffsetDateTime.parse(minute), applied, 0, 0, 0, null);
    }

    @Test
    void lastMinuteIsThisMinuteSoFarPlusTheRemainingShareOfThePreviousMinute() {
        List<FlowMinutes.Minute> rows = List.of(at("2026-11-28T10:28:00Z", 1000), at("2026-11-28T10:29:00Z", 40),
                at("2026-11-28T10:30:00Z", 7));
        // 10:30 so far (7) + three quarters of 10:29 (30); 10:28 is outside the last 60 seconds.
        assertThat(FlowStats.window(rows, NOW, 1, FlowMinutes.Minute::applied)).isEqualTo(37.0);
    }

    @Test
    void lastHourCountsSixtyMinutesBackAndNothingOlder() {
        List<FlowMinutes.Minute> rows = List.of(
                at("2026-11-28T09:29:00Z", 500),  // more than an hour ago
                at("2026-11-28T09:30:00Z", 100),  // the window's oldest minute: three quarters still inside
                at("2026-11-28T09:31:00Z", 10),
                at("2026-11-28T10:30:00Z", 5));
        assertThat(FlowStats.window(rows, NOW, 60, FlowMinutes.Minute::applied)).isEqualTo(75 + 10 + 5);
    }

    @Test
    void onAMinuteBoundaryThePreviousMinuteCountsWhole() {
        Instant boundary = Instant.parse("2026-11-28T10:30:00Z");
        List<FlowMinutes.Minute> rows = List.of(at("2026-11-28T10:29:00Z", 12), at("2026-11-28T10:30:00Z", 0));
        assertThat(FlowStats.window(rows, boundary, 1, FlowMinutes.Minute::applied)).isEqualTo(12.0);
    }

    @Test
    void bucketsWithAnOffsetOtherThanUtcAreTheSameInstants() {
        List<FlowMinutes.Minute> rows = List.of(new FlowMinutes.Minute("a",
                OffsetDateTime.parse("2026-11-28T10:30:00Z").withOffsetSameInstant(ZoneOffset.ofHours(8)), 9, 0, 0, 0,
                null));
        assertThat(FlowStats.window(rows, NOW, 1, FlowMinutes.Minute::applied)).isEqualTo(9.0);
    }
}
