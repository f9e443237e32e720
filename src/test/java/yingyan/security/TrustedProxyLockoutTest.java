package yingyan.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Behind the city's load balancer every connection comes from the balancer: with the balancer declared a
 * trusted proxy (here the test's own 127.0.0.1), the lockout counts the client the balancer names in
 * {@code X-Forwarded-For}, so one client guessing passwords locks out itself and not everyone behind the same
 * balancer; and the console's origin is the public one the balancer received ({@code X-Forwarded-Proto},
 * {@code -Host}). {@link LoginLockoutTest} holds the other way round: no trusted proxy, the header ignored.
 */
@TestPropertySource(properties = "server.tomcat.remoteip.internal-proxies=127\\.0\\.0\\.1")
class TrustedProxyLockoutTest extends SecuredHub {
    private static final String ATTACKER = "203.0.113.7";
    private static final String COLLEAGUE = "198.51.100.9";

    @Autowired
    LoginThrottle throttle;

    @BeforeEach
    @AfterEach
    void forgetFailures() {
        throttle.clear();
    }

    @Test
    void oneClientBehindTheProxyLocksOutItselfNotEveryoneBehindIt() throws Exception {
        for (int i = 1; i <= 8; i++) {
            // What the balancer forwards: whatever the client claimed, then the address it saw, appended.
            HttpResponse<String> r = call("GET", "/api/v1/records", new Caller("admin" + i, "admin"),
                    "X-Forwarded-For", "10.9.9." + i + ", " + ATTACKER);
            assertThat(r.statusCode()).isEqualTo(401);
        }
        assertThat(call("GET", "/api/v1/records", VIEWER, "X-Forwarded-For", ATTACKER).statusCode())
                .as("the guessing client, even with a valid credential").isEqualTo(429);
        assertThat(call("GET", "/api/v1/records", VIEWER, "X-Forwarded-For", "1.2.3.4, " + ATTACKER)
                .statusCode()).as("a made-up first hop does not hide it").isEqualTo(429);
        assertThat(call("GET", "/api/v1/records", VIEWER, "X-Forwarded-For", COLLEAGUE).statusCode())
                .as("another client behind the same balancer").isEqualTo(200);
    }

    @Test
    void theConsoleBehindTheProxyActsUnderItsPublicOrigin() throws Exception {
        HttpResponse<String> r = call("POST", "/api/v1/province/batches/retry-failed", OPERATOR,
                "X-Forwarded-For", COLLEAGUE, "X-Forwarded-Proto", "https", "X-Forwarded-Host", "yingyan.city.example",
                "Origin", "https://yingyan.city.example");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(call("POST", "/api/v1/province/batches/retry-failed", OPERATOR,
                "X-Forwarded-Proto", "https", "X-Forwarded-Host", "yingyan.city.example",
                "Origin", "https://evil.example").statusCode()).isEqualTo(403);
    }
}
