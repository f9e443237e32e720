package yingyan.province;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/** The sender's circuit breaker, quota and backoff. */
class BreakerAndQuotaTest {

    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-03-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void opensAfterThresholdThenLetsOneProbeThrough() {
        MovableClock clock = new MovableClock();
        Breaker b = new Breaker(3, Duration.ofSeconds(60), clock);
        b.failure();
        b.failure();
        assertThat(b.allows()).isTrue();
        b.failure();
        assertThat(b.allows()).isFalse();
        assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
        clock.now = clock.now.plusSeconds(59);
        assertThat(b.allows()).isFalse();
        clock.now = clock.now.plusSeconds(1);
        assertThat(b.allows()).isTrue();
        assertThat(b.state()).isEqualTo(Breaker.State.HALF_OPEN);
        b.failure(); // the probe failed: open again at once
        assertThat(b.allows()).isFalse();
        clock.now = clock.now.plusSeconds(60);
        assertThat(b.allows()).isTrue();
        b.success();
        assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
        b.failure();
        assertThat(b.allows()).isTrue();
    }

    @Test
    void whileOthersAreInFlightOnlyAClosedBreakerLetsMoreStart_theHalfOpenProbeGoesAlone() {
        MovableClock clock = new MovableClock();
        Breaker b = new Breaker(2, Duration.ofSeconds(10), clock);
        assertThat(b.allows(3)).isTrue();
        b.failure();
        b.failure(); // e.g. two of the requests in flight answered 503
        assertThat(b.allows(0)).isFalse();
        clock.now = clock.now.plusSeconds(10);
        assertThat(b.allows(1)).isFalse(); // half-open, but an earlier request is still out: no probe beside it
        assertThat(b.allows(0)).isTrue();
        assertThat(b.state()).isEqualTo(Breaker.State.HALF_OPEN);
        b.success();
        assertThat(b.allows(3)).isTrue();
    }

    @Test
    void quotaSpacesRequestStarts() {
        Quota q = new Quota(50, Duration.ofSeconds(1), 50); // 20 ms apart
        long start = System.nanoTime();
        for (int i = 0; i < 11; i++) {
            Quota.Permit p = q.acquire();
            assertThat(p).isNotNull();
            p.onWire();
            p.done();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(199));
    }

    @Test
    void backoffDoublesAndIsBounded() {
        ProvinceProperties p = new ProvinceProperties(true, "http://x", "s", "370700", 500, 5_000_000, 20,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(60), 10, 5, Duration.ofSeconds(1), 0.05, 4);
        BatchSender sender = new BatchSender(p, null, null, null, Quota.of(p),
                new StaticListableBeanFactory().getBeanProvider(MeterRegistry.class));
        assertThat(sender.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(sender.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(sender.backoff(6)).isEqualTo(Duration.ofSeconds(32));
        assertThat(sender.backoff(7)).isEqualTo(Duration.ofSeconds(60));
        assertThat(sender.backoff(1000)).isEqualTo(Duration.ofSeconds(60));
    }
}
