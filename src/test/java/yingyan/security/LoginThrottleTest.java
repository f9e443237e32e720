package yingyan.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The lockout's bookkeeping on a clock the test moves: windows, lock expiry, and memory kept bounded. */
class LoginThrottleTest {
    private final MovableClock clock = new MovableClock();

    private LoginThrottle throttle(int maxTracked) {
        return new LoginThrottle(new AccessProperties.Lockout(true, 3, 10, Duration.ofMinutes(1),
                Duration.ofMinutes(5), maxTracked), clock, new SimpleMeterRegistry());
    }

    @Test
    void failuresSpreadOverMoreThanTheWindowDoNotLock() {
        LoginThrottle t = throttle(100);
        t.failed("ops", "10.0.0.1");
        t.failed("ops", "10.0.0.1");
        clock.advance(Duration.ofSeconds(61));
        t.failed("ops", "10.0.0.1");
        t.failed("ops", "10.0.0.1");
        assertThat(t.lockedFor("ops", "10.0.0.1")).isEmpty();
        t.failed("ops", "10.0.0.1");
        assertThat(t.lockedFor("ops", "10.0.0.1")).contains(Duration.ofMinutes(5));
    }

    @Test
    void aLockEndsAfterLockForAndCountingStartsAfresh() {
        LoginThrottle t = throttle(100);
        for (int i = 0; i < 3; i++) {
            t.failed("ops", "10.0.0.1");
        }
        clock.advance(Duration.ofMinutes(4));
        assertThat(t.lockedFor("ops", "10.0.0.2")).as("the name, from any address").contains(Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(1));
        assertThat(t.lockedFor("ops", "10.0.0.1")).isEmpty();
        t.failed("ops", "10.0.0.1");
        assertThat(t.lockedFor("ops", "10.0.0.1")).as("one new failure is not three").isEmpty();
    }

    @Test
    void aFloodOfNamesKeepsTheStateBoundedAndTheNameUnderAttackLocked() {
        LoginThrottle t = throttle(50);
        for (int i = 0; i < 3; i++) {
            t.failed("ops", "10.0.0.1");
        }
        for (int i = 0; i < 100_000; i++) {
            String address = "10.1." + (i / 250) + "." + (i % 250);
            t.failed("guess-" + i, address);
            if (i % 10 == 0) {
                // the attacker keeps trying the locked name: it stays among the most recently seen
                assertThat(t.lockedFor("ops", address)).isPresent();
            }
            assertThat(t.tracked()).isLessThanOrEqualTo(50);
        }
    }

    @Test
    void aHugeNameCostsNoMoreThanMaxNameCharacters() {
        LoginThrottle t = throttle(100);
        String prefix = "x".repeat(LoginThrottle.MAX_NAME);
        // Names differing only past MAX_NAME are one entry (an attacker gains nothing by making them long).
        t.failed(prefix + "a".repeat(5000), "10.0.0.1");
        t.failed(prefix + "b".repeat(5000), "10.0.0.2");
        t.failed(prefix + "c".repeat(5000), "10.0.0.3");
        assertThat(t.lockedFor(prefix, "10.0.0.4")).isPresent();
        assertThat(t.tracked()).isEqualTo(4); // one name, three addresses
    }

    @Test
    void basicUserIsReadWithoutThePasswordAndJunkIsNoUser() {
        assertThat(LoginLockout.basicUser("Basic " + java.util.Base64.getEncoder()
                .encodeToString("ops:pa:ss".getBytes()))).isEqualTo("ops");
        assertThat(LoginLockout.basicUser("basic " + java.util.Base64.getEncoder()
                .encodeToString("ops:x".getBytes()))).isEqualTo("ops");
        assertThat(LoginLockout.basicUser("Basic !!not-base64!!")).isNull();
        assertThat(LoginLockout.basicUser("Bearer abc")).isNull();
        assertThat(LoginLockout.basicUser(null)).isNull();
    }

    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-03-12T01:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

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
}
