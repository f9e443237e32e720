package yingyan.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import yingyan.province.OutboundStatus;
import yingyan.quarantine.QuarantineStore;
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

    @Test
    void aScrapeStormOrManyOpenConsolesReadTheDatabaseOncePerMaxAge() {
        FlowMinutes flow = mock(FlowMinutes.class);
        QuarantineStore quarantine = mock(QuarantineStore.class);
        OutboundStatus outbound = mock(OutboundStatus.class);
        when(quarantine.countOpenByAdapter()).thenReturn(Map.of("a", 4L));
        when(outbound.outbound()).thenReturn(new OutboundStatus.Outbound("RUNNING", null, "CLOSED", 0, null, 0, 0,
                null, null, null));
        when(outbound.ledgerTotals()).thenReturn(Map.of("ACCEPTED", 9L));
        FlowStats stats = new FlowStats(flow, quarantine, outbound,
                new ConsoleProperties(Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofDays(7), 180));
        for (int i = 0; i < 500; i++) {
            assertThat(stats.snapshot().of("a").quarantineOpen()).isEqualTo(4);
        }
        verify(flow, times(1)).since(any(OffsetDateTime.class));
        verify(quarantine, times(1)).countOpenByAdapter();
        verify(outbound, times(1)).outbound();
        verify(outbound, times(1)).ledgerTotals();
    }

    @Test
    void whenTheDatabaseCannotBeReadTheLastFiguresStay() {
        FlowMinutes flow = mock(FlowMinutes.class);
        QuarantineStore quarantine = mock(QuarantineStore.class);
        OutboundStatus outbound = mock(OutboundStatus.class);
        when(quarantine.countOpenByAdapter()).thenReturn(Map.of("a", 4L))
                .thenThrow(new DataAccessResourceFailureException("database down"));
        when(outbound.outbound()).thenReturn(new OutboundStatus.Outbound("RUNNING", null, "CLOSED", 0, null, 0, 0,
                null, null, null));
        FlowStats stats = new FlowStats(flow, quarantine, outbound,
                new ConsoleProperties(Duration.ZERO, Duration.ZERO, Duration.ofDays(7), 180));
        assertThat(stats.snapshot().of("a").quarantineOpen()).isEqualTo(4);
        assertThat(stats.snapshot().of("a").quarantineOpen()).as("kept from the last good read").isEqualTo(4);
        verify(quarantine, times(2)).countOpenByAdapter();

        FlowStats never = new FlowStats(flow, mock(QuarantineStore.class), outbound,
                new ConsoleProperties(Duration.ZERO, Duration.ZERO, Duration.ofDays(7), 180));
        when(flow.since(any(OffsetDateTime.class))).thenThrow(new DataAccessResourceFailureException("down"));
        assertThatThrownBy(never::snapshot).as("nothing to show yet: the error, not empty figures")
                .isInstanceOf(DataAccessResourceFailureException.class);
    }
}
