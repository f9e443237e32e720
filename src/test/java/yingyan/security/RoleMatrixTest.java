package yingyan.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Who may use what, for every mapped endpoint (found as {@link EndpointInventoryTest} finds them) and every
 * role: a role the matrix allows gets through (not 401/403), any other role gets 403. An endpoint the matrix
 * has no rule for fails the test: whoever adds an endpoint decides here (and in SecurityConfig) who may call it.
 * Grants within the feed (a consumer sees only its regions and domains) are FeedApiTest's.
 */
class RoleMatrixTest extends SecuredHub {
    private static final Map<String, Caller> ROLES = new LinkedHashMap<>();

    static {
        ROLES.put("VIEWER", VIEWER);
        ROLES.put("OPERATOR", OPERATOR);
        ROLES.put("CONSUMER", CONSUMER);
        ROLES.put("METRICS", SCRAPER);
        ROLES.put("SUPERVISOR", SUPERVISOR);
    }

    private static final Set<String> EVERY_ROLE = ROLES.keySet();

    /** The matrix: the roles that may call an endpoint. */
    static Set<String> allowed(Endpoint e) {
        String p = e.pattern();
        if (p.equals("/actuator/health") || p.startsWith("/v3/api-docs") || p.startsWith("/swagger-ui")
                || p.equals("/api/v1/me")) {
            return EVERY_ROLE; // health: anyone; the API description and one's own name and roles: anyone signed in
        }
        if (p.equals("/actuator/prometheus")) {
            return Set.of("METRICS");
        }
        if (p.equals("/actuator") || p.startsWith("/actuator/")) {
            // Reading only: the actuator's write operations (stopping a Camel route...) are nobody's.
            return e.method().equals("GET") ? Set.of("VIEWER", "OPERATOR") : Set.of();
        }
        if (p.equals("/error")) {
            return Set.of(); // rendered for other requests only
        }
        if (e.method().equals("GET") && (p.equals("/api/v1/feed") || p.equals("/api/v1/alerts/feed"))) {
            return Set.of("CONSUMER");
        }
        // Alerts: read by people who read, and by supervisors, who alone acknowledge them.
        if (e.method().equals("GET") && (p.equals("/api/v1/alerts") || p.startsWith("/api/v1/alerts/")
                || p.equals("/api/v1/records/{recordId}/alerts"))) {
            return Set.of("VIEWER", "OPERATOR", "SUPERVISOR");
        }
        if (e.method().equals("POST") && p.equals("/api/v1/alerts/{alertId}/acknowledge")) {
            return Set.of("SUPERVISOR");
        }
        if (e.method().equals("GET") && p.startsWith("/api/v1/")) {
            return Set.of("VIEWER", "OPERATOR");
        }
        if (e.method().equals("POST") && p.startsWith("/api/v1/")) {
            return Set.of("OPERATOR");
        }
        return fail("no rule in the role matrix for %s: decide who may call it, here and in SecurityConfig", e);
    }

    @Test
    void everyRoleReachesExactlyTheEndpointsTheMatrixGivesIt() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Endpoint e : endpoints()) {
            Set<String> allowed = allowed(e);
            for (Map.Entry<String, Caller> role : ROLES.entrySet()) {
                int status = status(e.method(), e.path(), role.getValue());
                boolean through = status != 401 && status != 403;
                if (through != allowed.contains(role.getKey())) {
                    wrong.add(role.getKey() + " " + e + " -> " + status);
                }
            }
        }
        assertThat(wrong).as("role x endpoint answers that break the matrix").isEmpty();
    }

    @Test
    void theCasesThatMatterMost() throws Exception {
        // A viewer reads but never acts.
        assertThat(status("GET", "/api/v1/quarantine", VIEWER)).isEqualTo(200);
        assertThat(status("POST", "/api/v1/quarantine/1/release", VIEWER)).isEqualTo(403);
        assertThat(status("POST", "/api/v1/province/batches/retry-failed", VIEWER)).isEqualTo(403);
        // A feed consumer is a system, not a person: the feed, nothing of the records, quarantine or operations.
        assertThat(status("GET", "/api/v1/feed", CONSUMER)).isEqualTo(200);
        assertThat(status("GET", "/api/v1/records", CONSUMER)).isEqualTo(403);
        assertThat(status("GET", "/api/v1/quarantine", CONSUMER)).isEqualTo(403);
        assertThat(status("GET", "/api/v1/audit", CONSUMER)).isEqualTo(403);
        // People do not read the feed under their own name unless given the role CONSUMER.
        assertThat(status("GET", "/api/v1/feed", VIEWER)).isEqualTo(403);
        assertThat(status("GET", "/api/v1/feed", OPERATOR)).isEqualTo(403);
        // The scraper's credential opens the metrics and nothing else.
        var scrape = call("GET", "/actuator/prometheus", SCRAPER);
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("yingyan_security_login_failures_total");
        assertThat(status("GET", "/actuator/prometheus", VIEWER)).isEqualTo(403);
        assertThat(status("GET", "/api/v1/records", SCRAPER)).isEqualTo(403);
        // A supervisor reads alerts and acknowledges them; nothing else of the operations.
        assertThat(status("GET", "/api/v1/alerts", SUPERVISOR)).isEqualTo(200);
        assertThat(status("GET", "/api/v1/alerts/counts", SUPERVISOR)).isEqualTo(200);
        assertThat(status("GET", "/api/v1/alerts/counts", CONSUMER)).isEqualTo(403);
        assertThat(status("POST", "/api/v1/alerts/a-x/acknowledge", VIEWER)).isEqualTo(403);
        assertThat(status("POST", "/api/v1/quarantine/1/release", SUPERVISOR)).isEqualTo(403);
        assertThat(status("GET", "/api/v1/alerts/feed", CONSUMER)).isEqualTo(200);
        assertThat(status("GET", "/api/v1/alerts", CONSUMER)).isEqualTo(403);
        // A wrong password is 401 whatever the role would have allowed.
        assertThat(status("GET", "/api/v1/records", new Caller("viewer", "not-the-password"))).isEqualTo(401);
    }
}
