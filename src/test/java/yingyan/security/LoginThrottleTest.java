package yingyan.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The lockout's bookkeeping on a clock the test moves, in the database as the hub keeps it (H2 migrated by the
 * hub's own Flyway migrations): windows, lock expiry, the state kept bounded, counts shared by every node.
 */
class LoginThrottleTest {
    private final MovableClock clock = new MovableClock();
    private final DataSource db = new DriverManagerDataSource("jdbc:h2:mem:lockout-" + UUID.randomUUID()
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "");

    LoginThrottleTest() {
        Flyway.configure().dataSource(db).locations("classpath:db/migration", "classpath:db/vendor/h2").load()
                .migrate();
    }

    /** One hub node's throttle on the shared database. */
    private LoginThrottle throttle(int maxTracked) {
        return new LoginThrottle(new AccessProperties.Lockout(true, 3, 10, Duration.ofMinutes(1),
                Duration.ofMinutes(5), maxTracked), clock, new SimpleMeterRegistry(), new JdbcTemplate(db),
                new DataSourceTransactionManager(db), "test-hmac-key-0123456789abcdef");
    }

    @Test
    void failuresOnDifferentNodesAddUpAndALockSetByOneHoldsOnAll() {
        LoginThrottle a = throttle(100);
        LoginThrottle b = throttle(100);
        a.failed("ops", "10.0.0.1");
        b.failed("ops", "10.0.0.2");
        assertThat(a.lockedFor("ops", "10.0.0.3")).isEmpty();
        a.failed("ops", "10.0.0.3");
        assertThat(b.lockedFor("ops", "10.0.0.4")).as("node b sees node a's lock").contains(Duration.ofMinutes(5));
        b.succeeded("someone-else");
        assertThat(a.lockedFor("ops", "10.0.0.4")).isPresent();
    }

    /** The brake, not the lock on the door: with the database away, logins are left to the password check. */
    @Test
    void withTheDatabaseAwayLoginsAreCheckedByPasswordAloneNotRefused() {
        DataSource away = new DriverManagerDataSource("jdbc:h2:mem:never-created-" + UUID.randomUUID()
                + ";IFEXISTS=TRUE", "sa", "");
        LoginThrottle t = new LoginThrottle(new AccessProperties.Lockout(true, 3, 10, Duration.ofMinutes(1),
                Duration.ofMinutes(5), 100), clock, new SimpleMeterRegistry(), new JdbcTemplate(away),
                new DataSourceTransactionManager(away), "test-hmac-key-0123456789abcdef");
        for (int i = 0; i < 5; i++) {
            t.failed("ops", "10.0.0.1");
        }
        t.succeeded("ops");
        assertThat(t.lockedFor("ops", "10.0.0.1")).isEmpty();
    }

    @Test
    void aUserNameIsNeverStoredInClear() {
        LoginThrottle t = throttle(100);
        String residentId = "11010519491231002X"; // typed into the name field
        t.failed(residentId, "10.0.0.1");
        List<String> subjects = new JdbcTemplate(db).queryForList("SELECT subject FROM login_lockout", String.class);
        assertThat(subjects).hasSize(2).contains("a:10.0.0.1").noneMatch(s -> s.contains(residentId));
        t.failed(residentId, "10.0.0.2");
        t.failed(residentId, "10.0.0.3");
        assertThat(t.lockedFor(residentId, "10.0.0.9")).as("yet the name is counted").isPresent();
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
        for (int i = 0; i < 2_000; i++) {
            String address = "10.1." + (i / 250) + "." + (i % 250);
            clock.advance(Duration.ofMillis(10));
            t.failed("guess-" + i, address);
            if (i % 10 == 0) {
                // a lock in force is never what the bound drops
                assertThat(t.lockedFor("ops", address)).isPresent();
            }
            // 50 counting, plus the one lock in force
            assertThat(t.tracked()).isLessThanOrEqualTo(51);
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
