package yingyan.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * No one gets in without a credential: every endpoint the hub maps — found from the handler mappings, so an
 * endpoint added tomorrow is checked tomorrow without touching this test — answers 401 to an anonymous call,
 * except health. (The console's page shell, static files under /console/, is public: no data in it.)
 */
class EndpointInventoryTest extends SecuredHub {
    private static final Logger log = LoggerFactory.getLogger(EndpointInventoryTest.class);
    /** The only mapped paths open without a credential (load balancers, orchestrators). */
    static final Set<String> ANONYMOUS = Set.of("/actuator/health", "/actuator/health/liveness",
            "/actuator/health/readiness");

    @Test
    void everyMappedEndpointButHealthAnswers401WithoutACredential() throws Exception {
        List<Endpoint> endpoints = endpoints();
        assertThat(endpoints).as("the inventory finds the controllers, springdoc and the actuator").extracting(
                Endpoint::toString).contains("GET /api/v1/records", "GET /api/v1/records/{recordId}/history",
                "GET /api/v1/feed", "POST /api/v1/quarantine/{id}/release", "POST /api/v1/province/batches/retry-failed",
                "GET /api/v1/audit", "GET /v3/api-docs", "GET /actuator/prometheus", "GET /actuator/health",
                "GET /actuator/health/**", "GET /actuator/metrics/{requiredMetricName}");

        List<String> open = new ArrayList<>();
        List<String> health = new ArrayList<>();
        int checked = 0;
        for (Endpoint e : endpoints) {
            HttpResponse<String> r = call(e.method(), e.path(), null);
            checked++;
            if (ANONYMOUS.contains(e.path())) {
                assertThat(r.statusCode()).as("%s is open", e).isIn(200, 503);
                health.add(e.path());
            } else if (r.statusCode() != 401 || r.headers().firstValue("WWW-Authenticate").isEmpty()) {
                open.add(e + " -> " + r.statusCode());
            }
        }
        assertThat(open).as("endpoints answering without a credential").isEmpty();
        log.info("endpoint inventory: {} mapped endpoints checked, {} answered without a credential: {}", checked,
                health.size(), health);
    }

    @Test
    void pathsNobodyMappedAndStaticResourcesAnswer401TooNot404() throws Exception {
        for (String path : List.of("/nothing-here", "/api/v1/not-an-endpoint", "/swagger-ui/index.html",
                "/actuator/env", "/actuator/health/adapters", "/error", "/console-data", "/static/console/index.html")) {
            assertThat(status("GET", path, null)).as(path).isEqualTo(401);
        }
        assertThat(status("GET", "/actuator/health/liveness", null)).isEqualTo(200);
        assertThat(status("GET", "/actuator/health/readiness", null)).isIn(200, 503);
        assertThat(status("DELETE", "/api/v1/records/x", null)).isEqualTo(401);
        assertThat(status("PUT", "/api/v1/province/batches/x/retry", null)).isEqualTo(401);
        assertThat(status("POST", "/console/index.html", null)).isEqualTo(401);
    }

    /** The console's page shell is public: static files only, which hold no data (it asks /api/v1 for that). */
    @Test
    void theConsoleShellIsPublicAndIsOnlyStaticFiles() throws Exception {
        var page = call("GET", "/console/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(status("GET", "/console/console.js", null)).isEqualTo(200);
        assertThat(status("GET", "/", null)).as("leads to the console").isIn(301, 302);
        assertThat(endpoints()).as("no mapped (data) endpoint under /console").extracting(Endpoint::pattern)
                .noneMatch(p -> p.startsWith("/console"));
    }
}
