package yingyan.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Brute force over HTTP Basic is stopped: after 3 wrong passwords for a name (8 failures from one address) the
 * name (address) gets 429 with Retry-After for 2 s (SecuredHub's settings), the right password included, then
 * logins work again; a success forgives the name. Logged without the password, counted in metrics.
 */
@ExtendWith(OutputCaptureExtension.class)
class LoginLockoutTest extends SecuredHub {
    @Autowired
    LoginThrottle throttle;
    @Autowired
    MeterRegistry meters;

    @BeforeEach
    @AfterEach
    void forgetFailures() {
        throttle.clear(); // the other security tests share this hub and this client address
    }

    private double count(String name, String... tags) {
        var c = meters.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void threeWrongPasswordsLockTheNameOutRightPasswordIncludedUntilTheLockEnds(CapturedOutput output)
            throws Exception {
        double failuresBefore = count("yingyan.security.login.failures");
        double lockoutsBefore = count("yingyan.security.lockouts", "scope", "user");
        double refusedBefore = count("yingyan.security.login.refused");
        Caller guess = new Caller("viewer", "guess-Tr0ub4dor");
        for (int i = 0; i < 3; i++) {
            assertThat(status("GET", "/api/v1/records", guess)).as("guess %d", i + 1).isEqualTo(401);
        }
        Instant locked = Instant.now();
        HttpResponse<String> refused = call("GET", "/api/v1/records", VIEWER);
        assertThat(refused.statusCode()).as("the right password while locked out").isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
                s -> assertThat(Integer.parseInt(s)).isBetween(1, 2));
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(refused.body()).contains("too many failed logins");
        // Another name from the same address is not held up (3 failures < the address's 8).
        assertThat(status("GET", "/api/v1/records", OPERATOR)).isEqualTo(200);

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> status("GET", "/api/v1/records", VIEWER) == 200);
        assertThat(Duration.between(locked, Instant.now())).as("held for lock-for").isGreaterThan(
                Duration.ofMillis(1500));

        assertThat(count("yingyan.security.login.failures") - failuresBefore).isEqualTo(3);
        assertThat(count("yingyan.security.lockouts", "scope", "user") - lockoutsBefore).isEqualTo(1);
        assertThat(count("yingyan.security.login.refused") - refusedBefore).isGreaterThanOrEqualTo(1);
        assertThat(output.getAll()).contains("user 'viewer' locked out for PT2S after 3 failed logins")
                .doesNotContain("guess-Tr0ub4dor").doesNotContain("viewer-secret");
    }

    @Test
    void aSuccessfulLoginForgivesTheNamesEarlierFailures() throws Exception {
        Caller guess = new Caller("viewer", "wrong");
        assertThat(status("GET", "/api/v1/records", guess)).isEqualTo(401);
        assertThat(status("GET", "/api/v1/records", guess)).isEqualTo(401);
        assertThat(status("GET", "/api/v1/records", VIEWER)).isEqualTo(200);
        assertThat(status("GET", "/api/v1/records", guess)).isEqualTo(401);
        assertThat(status("GET", "/api/v1/records", guess)).isEqualTo(401);
        assertThat(status("GET", "/api/v1/records", VIEWER)).as("2 + 2 failures, forgiven between").isEqualTo(200);
    }

    @Test
    void manyNamesTriedFromOneAddressLockTheAddressForEveryoneThenItOpensAgain() throws Exception {
        double before = count("yingyan.security.lockouts", "scope", "address");
        for (int i = 1; i <= 8; i++) {
            assertThat(status("GET", "/api/v1/records", new Caller("admin" + i, "admin"))).isEqualTo(401);
        }
        HttpResponse<String> refused = call("GET", "/api/v1/quarantine", OPERATOR);
        assertThat(refused.statusCode()).as("a real user from the locked address").isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(count("yingyan.security.lockouts", "scope", "address") - before).isEqualTo(1);
        // Health asks for no credential, so a locked address still gets it.
        assertThat(status("GET", "/actuator/health", null)).isIn(200, 503);

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> status("GET", "/api/v1/quarantine", OPERATOR) == 200);
    }

    /**
     * No proxy is trusted here (the default): {@code X-Forwarded-For} is the client's own claim, so changing it
     * at every guess does not escape the address lockout. {@link TrustedProxyLockoutTest}: the other way round.
     */
    @Test
    void aForwardedForHeaderFromAClientThatIsNotATrustedProxyIsIgnored() throws Exception {
        for (int i = 1; i <= 8; i++) {
            assertThat(call("GET", "/api/v1/records", new Caller("admin" + i, "admin"),
                    "X-Forwarded-For", "203.0.113." + i).statusCode()).isEqualTo(401);
        }
        assertThat(call("GET", "/api/v1/records", OPERATOR, "X-Forwarded-For", "198.51.100.9").statusCode())
                .as("a fresh X-Forwarded-For from the locked address").isEqualTo(429);
        // Nor does a claimed public origin make a write from elsewhere same-origin.
        throttle.clear();
        assertThat(call("POST", "/api/v1/province/batches/retry-failed", OPERATOR,
                "X-Forwarded-Proto", "https", "X-Forwarded-Host", "yingyan.city.example",
                "Origin", "https://yingyan.city.example").statusCode()).isEqualTo(403);
    }
}
