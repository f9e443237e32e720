package yingyan.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import yingyan.audit.AuditLog;

/**
 * A page on another site cannot make a browser that holds an operator's Basic credential act on the hub: a
 * state-changing request that a browser marks as coming from elsewhere ({@code Origin} not this hub's, or
 * {@code Sec-Fetch-Site} not same-origin) is refused before it runs, so nothing is done and nothing audited.
 * The console's own requests (same origin) and clients that are not browsers (no such headers: the CLI, a
 * feed consumer, curl) act as before.
 */
class CrossSiteWriteTest extends SecuredHub {
    private static final String ACTION = "/api/v1/province/batches/retry-failed";

    @Autowired
    AuditLog audit;
    @Autowired
    LoginThrottle throttle;

    @BeforeEach
    @AfterEach
    void forgetFailures() {
        throttle.clear();
    }

    private long actionsRun() {
        return audit.all().stream().filter(e -> e.action().endsWith("retry-failed")).count();
    }

    private String self() {
        return "http://127.0.0.1:" + port;
    }

    @Test
    void aFormPostedFromAnotherSiteIsRefusedAndNothingIsDone() throws Exception {
        long before = actionsRun();
        HttpResponse<String> r = call("POST", ACTION, OPERATOR,
                "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(r.body()).contains("cross-site request refused");
        assertThat(actionsRun()).as("the action never ran").isEqualTo(before);
    }

    @Test
    void everyWayABrowserSaysElsewhereIsRefused() throws Exception {
        long before = actionsRun();
        // A browser without Fetch Metadata still sends Origin on every POST.
        assertThat(status("POST", ACTION, OPERATOR, "Origin", "https://evil.example")).isEqualTo(403);
        // The same host on another port or scheme is another origin.
        assertThat(status("POST", ACTION, OPERATOR, "Origin", "http://127.0.0.1:" + (port + 1))).isEqualTo(403);
        assertThat(status("POST", ACTION, OPERATOR, "Origin", "https://127.0.0.1:" + port)).isEqualTo(403);
        // A sandboxed frame or a no-referrer page posts with Origin: null.
        assertThat(status("POST", ACTION, OPERATOR, "Origin", "null")).isEqualTo(403);
        // Another application on a sibling host of the city's domain is same-site, not same-origin.
        assertThat(status("POST", ACTION, OPERATOR, "Sec-Fetch-Site", "same-site",
                "Origin", "https://other.city.example")).isEqualTo(403);
        // Fetch Metadata decides even where Origin was stripped on the way.
        assertThat(status("POST", ACTION, OPERATOR, "Sec-Fetch-Site", "cross-site")).isEqualTo(403);
        assertThat(status("POST", ACTION, OPERATOR, "Origin", "not a url at all")).isEqualTo(403);
        assertThat(actionsRun()).isEqualTo(before);
    }

    @Test
    void theConsolesOwnRequestsAndClientsThatAreNotBrowsersStillAct() throws Exception {
        long before = actionsRun();
        // The console's fetch: same origin (a current browser sends both headers).
        assertThat(status("POST", ACTION, OPERATOR, "Origin", self(), "Sec-Fetch-Site", "same-origin"))
                .isEqualTo(200);
        // A browser without Fetch Metadata, same origin.
        assertThat(status("POST", ACTION, OPERATOR, "Origin", self())).isEqualTo(200);
        // The CLI (java.net.http), curl, a script: neither header.
        assertThat(status("POST", ACTION, OPERATOR)).isEqualTo(200);
        assertThat(actionsRun()).isEqualTo(before + 3);
        // The refusal is about origins, not roles: a viewer from the console is still a viewer.
        assertThat(status("POST", ACTION, VIEWER, "Origin", self(), "Sec-Fetch-Site", "same-origin"))
                .isEqualTo(403);
    }

    @Test
    void readsFromAnotherSiteAreNotStateChangingAndPassAsBefore() throws Exception {
        // A cross-site read cannot change anything, and the browser keeps its answer from the other page (no CORS).
        assertThat(status("GET", "/api/v1/records", VIEWER, "Origin", "https://evil.example",
                "Sec-Fetch-Site", "cross-site")).isEqualTo(200);
    }

    private int status(String method, String path, Caller caller, String... headers) throws Exception {
        return call(method, path, caller, headers).statusCode();
    }
}
