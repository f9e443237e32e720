package yingyan.adapters.approvals;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Set;
import yingyan.canonical.CanonicalTime;
import yingyan.spi.BoundedBody;
import yingyan.spi.HttpRetry;
import yingyan.spi.InFlightRequests;
import yingyan.spi.PollingSource.SourceFailure;

/**
 * One {@code GET /api/cases} with the adapter's retry policy: 503 with Retry-After waits that long (capped
 * by max-backoff); other 5xx/429, timeouts and connection errors back off exponentially; every request
 * gets at most max-attempts. 401 and other 4xx fail at once, and so does an answer over max-page-size (read
 * no further). Waits end early when the hub stops.
 */
final class ApprovalsApi {
    static final String UNAUTHORISED =
            "approvals rejected the API key (401): check hub.adapters.approvals.api-key";
    private static final Set<Integer> RETRIED = Set.of(429, 500, 502, 503, 504);

    private final ApprovalsProperties props;
    private final HttpClient http;
    private final InFlightRequests inFlight = new InFlightRequests(ApprovalsProperties.ADAPTER_ID);
    private final HttpRetry retry;

    ApprovalsApi(ApprovalsProperties props) {
        this.props = props;
        // A Retry-After is capped by max-backoff here (the trading centre honours longer ones).
        this.retry = new HttpRetry(inFlight, ApprovalsProperties.ADAPTER_ID, props.maxAttempts(),
                props.initialBackoff(), props.maxBackoff(), props.maxBackoff());
        this.http = HttpClient.newBuilder()
                .connectTimeout(props.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                // A redirect would carry the API key to wherever it points: refuse it, say so.
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The request as people read it in a reason: path and query, never the key. */
    static String describe(OffsetDateTime since, int page, int size) {
        return "GET /api/cases?" + (since == null ? "" : "updatedSince=" + CanonicalTime.formatSource(since) + "&")
                + "page=" + page + "&size=" + size;
    }

    /**
     * The body of a 200 answer.
     *
     * @throws SourceFailure with the reason when the API refused, or kept failing for max-attempts
     */
    byte[] cases(OffsetDateTime since, int page, int size) {
        URI uri = URI.create(props.apiRoot() + "/api/cases?"
                + (since == null ? "" : "updatedSince="
                // %20, not '+': a space is a space in every server's query parsing.
                + URLEncoder.encode(CanonicalTime.formatSource(since), StandardCharsets.UTF_8).replace("+", "%20")
                + "&")
                + "page=" + page + "&size=" + size);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(props.readTimeout())
                .header("X-Api-Key", props.apiKey())
                .header("Accept", "application/json")
                .GET()
                .build();
        String what = describe(since, page, size);
        for (int attempt = 1; ; attempt++) {
            String problem;
            Duration wait = retry.backoff(attempt);
            try {
                HttpResponse<byte[]> r = retry.send(http, request, props.maxPageSize().toBytes(),
                        props.connectTimeout(), props.readTimeout());
                int sc = r.statusCode();
                if (sc == 200) {
                    return r.body();
                }
                if (sc == 401) {
                    throw new SourceFailure(UNAUTHORISED);
                }
                if (!RETRIED.contains(sc)) {
                    throw new SourceFailure("approvals answered " + sc + " to " + what + hint(sc) + ": "
                            + HttpRetry.snippet(r.body()));
                }
                problem = "answered " + sc + HttpRetry.retryAfterNote(r);
                wait = retry.waitAfter(r, attempt);
            } catch (BoundedBody.TooLarge e) {
                // Asking again would fetch it again: the same answer, as large.
                throw new SourceFailure("approvals answered " + what + " with more than the hub takes: "
                        + e.getMessage() + "; raise hub.adapters.approvals.max-page-size or lower page-size. The"
                        + " poll stops here and resumes from the watermark");
            } catch (IOException e) {
                problem = retry.problem(e, props.apiRoot(), props.connectTimeout(), props.readTimeout());
            }
            retry.failed(attempt, problem, what, wait);
        }
    }

    /** Ends waits and in-flight requests: the hub is shutting down. */
    void stop() {
        retry.stop();
    }

    private static String hint(int sc) {
        return switch (sc) {
            case 400 -> " (check hub.adapters.approvals.page-size: at most 500)";
            case 403 -> " (the API key lacks access: check hub.adapters.approvals.api-key)";
            case 404 -> " (check hub.adapters.approvals.base-url)";
            case 301, 302, 303, 307, 308 -> " (redirects are not followed: set hub.adapters.approvals.base-url to"
                    + " the final address)";
            default -> "";
        };
    }
}
