package yingyan.security;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * One hub shared by the security tests (one Spring context): a user per role, and a lockout with small limits
 * and a 2-second lock so the lockout test runs in seconds.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.security.users[0].name=viewer", "hub.security.users[0].password=viewer-secret",
        "hub.security.users[0].roles=VIEWER",
        "hub.security.users[1].name=operator", "hub.security.users[1].password=operator-secret",
        "hub.security.users[1].roles=OPERATOR",
        "hub.security.users[2].name=scraper", "hub.security.users[2].password=scraper-secret",
        "hub.security.users[2].roles=METRICS",
        "hub.security.users[3].name=supervisor", "hub.security.users[3].password=supervisor-secret",
        "hub.security.users[3].roles=SUPERVISOR",
        "hub.security.lockout.max-failures-per-user=3", "hub.security.lockout.max-failures-per-address=8",
        "hub.security.lockout.window=1m", "hub.security.lockout.lock-for=2s"})
@ActiveProfiles("test")
@AutoConfigureObservability(tracing = false) // tests leave metrics export off: /actuator/prometheus would be unmapped
abstract class SecuredHub {
    /** A signed-in caller: user name and password (test-only values of this class's properties). */
    record Caller(String user, String password) {
    }

    static final Caller VIEWER = new Caller("viewer", "viewer-secret");
    static final Caller OPERATOR = new Caller("operator", "operator-secret");
    static final Caller SCRAPER = new Caller("scraper", "scraper-secret");
    static final Caller SUPERVISOR = new Caller("supervisor", "supervisor-secret");
    /** A feed consumer of src/test/resources/application-test.yaml (every grant). */
    static final Caller CONSUMER = new Caller("province", "province-secret");

    /** One mapped endpoint: an HTTP method and its path pattern. */
    record Endpoint(String method, String pattern) {
        /** A concrete path: every {variable}, {*rest} and wildcard filled with "x". */
        String path() {
            return pattern.replaceAll("\\{[^}]*}|\\*\\*?", "x");
        }

        @Override
        public String toString() {
            return method + " " + pattern;
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;

    /**
     * Every endpoint the hub maps: the controllers (RequestMappingHandlerMapping, springdoc's included) and the
     * actuator's endpoints (their own handler mapping), one per method (none declared = GET).
     */
    List<Endpoint> endpoints() {
        Set<Endpoint> all = new TreeSet<>(Comparator.comparing(Endpoint::pattern).thenComparing(Endpoint::method));
        for (RequestMappingInfoHandlerMapping mapping : context.getBeansOfType(RequestMappingInfoHandlerMapping.class)
                .values()) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                for (String pattern : info.getPatternValues()) {
                    if (methods.isEmpty()) {
                        all.add(new Endpoint("GET", pattern));
                    }
                    methods.forEach(m -> all.add(new Endpoint(m.name(), pattern)));
                }
            }
        }
        return new ArrayList<>(all);
    }

    HttpResponse<String> call(String method, String path, Caller caller) throws IOException, InterruptedException {
        return call(method, path, caller, new String[0]);
    }

    /** As {@link #call(String, String, Caller)} with extra headers: name, value, name, value… */
    HttpResponse<String> call(String method, String path, Caller caller, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        if (caller != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (caller.user() + ":" + caller.password()).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    int status(String method, String path, Caller caller) throws IOException, InterruptedException {
        return call(method, path, caller).statusCode();
    }
}
