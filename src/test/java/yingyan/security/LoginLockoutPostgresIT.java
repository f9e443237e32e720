package yingyan.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import yingyan.testsupport.Services;

/**
 * The lockout counts on PostgreSQL, as a cluster shares them: two hub nodes' throttles on one database, failed
 * logins arriving at both at once. Every failure is counted (none lost to a race between the nodes), the
 * address is locked exactly as often as its limit says, and the lock holds on both nodes.
 */
class LoginLockoutPostgresIT {
    private String url;

    @AfterEach
    void drop() throws Exception {
        if (url != null) {
            Services.dropPostgresDatabase(url);
        }
    }

    private static LoginThrottle node(DriverManagerDataSource db, SimpleMeterRegistry meters) {
        return new LoginThrottle(new AccessProperties.Lockout(true, 1000, 10, Duration.ofMinutes(15),
                Duration.ofMinutes(15), 10_000), Clock.systemUTC(), meters, new JdbcTemplate(db),
                new DataSourceTransactionManager(db), "it-hmac-key-0123456789abcdef");
    }

    @Test
    void concurrentFailuresOnTwoNodesAreAllCountedAndTheLockHoldsOnBoth() throws Exception {
        url = Services.freshPostgresDatabase("yingyan_lockout");
        DriverManagerDataSource db = new DriverManagerDataSource(url, Services.pgUser(), "");
        Flyway.configure().dataSource(db).locations("classpath:db/migration", "classpath:db/vendor/postgresql")
                .load().migrate();
        SimpleMeterRegistry metersA = new SimpleMeterRegistry();
        SimpleMeterRegistry metersB = new SimpleMeterRegistry();
        LoginThrottle a = node(db, metersA);
        LoginThrottle b = node(db, metersB);

        // 9 failures from one address, spread over the two nodes and 6 threads: one short of the limit.
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<Void>> guesses = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                LoginThrottle node = i % 2 == 0 ? a : b;
                String name = "guess-" + i;
                guesses.add(() -> {
                    node.failed(name, "203.0.113.7");
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(guesses)) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(a.lockedFor("anyone", "203.0.113.7")).as("9 of 10: not yet").isEmpty();
        assertThat(b.lockedFor("anyone", "203.0.113.7")).isEmpty();

        b.failed("guess-9", "203.0.113.7");
        assertThat(a.lockedFor("anyone", "203.0.113.7")).as("the 10th, on the other node, locks on both")
                .hasValueSatisfying(d -> assertThat(d).isGreaterThan(Duration.ofMinutes(14)));
        assertThat(b.lockedFor("anyone", "203.0.113.7")).isPresent();
        double locks = metersA.counter("yingyan.security.lockouts", "scope", "address").count()
                + metersB.counter("yingyan.security.lockouts", "scope", "address").count();
        assertThat(locks).as("locked once").isEqualTo(1);
        assertThat(a.tracked()).as("ten names and the address").isEqualTo(11);
    }
}
