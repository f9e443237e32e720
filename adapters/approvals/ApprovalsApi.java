package yingyan.adapters.approvals;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import yingyan.canonical.CanonicalTime;
import yingyan.spi.BoundedBody;
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
    private static final Logger log = LoggerFactory.getLogger(ApprovalsApi.class);
    private static final Set<Integer> RETRIED = Set.of(429, 500, 502, 503, 504);

    private final ApprovalsProperties props;
    private final HttpClient http;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final InFlightRequests inFlight = new InFlightRequests(ApprovalsProperties.ADAPTER_ID);

    ApprovalsApi(ApprovalsProperties props) {
        this.props = props;
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
            Duration wait = backoff(attempt);
            try {
                HttpResponse<byte[]> r = send(request);
                int sc = r.statusCode();
                if (sc == 200) {
                    return r.body();
                }
                if (sc == 401) {
                    throw new SourceFailure(UNAUTHORISED);
                }
                if (!RETRIED.contains(sc)) {
                    throw new SourceFailure("approvals answered " + sc + " to " + what + hint(sc) + ": "
                            + snippet(r.body()));
                }
                problem = "answered " + sc;
                Optional<Duration> retryAfter = retryAfter(r);
                if (retryAfter.isPresent()) {
                    wait = min(retryAfter.get(), props.maxBackoff());
                    problem += " (Retry-After " + r.headers().firstValue("Retry-After").orElse("") + ")";
                }
            } catch (BoundedBody.TooLarge e) {
                // Asking again would fetch it again: the same answer, as large.
                throw new SourceFailure("approvals answered " + what + " with more than the hub takes: "
                        + e.getMessage() + "; raise hub.adapters.approvals.max-page-size or lower page-size. The"
                        + " poll stops here and resumes from the watermark");
            } catch (HttpConnectTimeoutException e) {
                problem = "could not connect within " + props.connectTimeout().toMillis()
                        + " ms (hub.adapters.approvals.connect-timeout)";
            } catch (HttpTimeoutException e) {
                problem = "did not answer within " + props.readTimeout().toMillis()
                        + " ms (hub.adapters.approvals.read-timeout)";
            } catch (ConnectException e) {
                problem = "refused the connection to " + props.apiRoot() + " (" + e.getMessage() + ")";
            } catch (IOException e) {
                problem = "failed: " + e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            if (attempt >= props.maxAttempts()) {
                throw new SourceFailure("approvals " + problem + " to " + what + ", " + attempt + " of "
                        + props.maxAttempts() + " attempts (hub.adapters.approvals.max-attempts); the poll stops"
                        + " here and resumes from the watermark");
            }
            log.info("approvals {} to {} (attempt {} of {}); retrying in {} ms", problem, what, attempt,
                    props.maxAttempts(), wait.toMillis());
            pause(wait);
        }
    }

    /** Ends waits and in-flight requests: the hub is shutting down. */
    void stop() {
        stopped.countDown();
        inFlight.cancelAll();
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws IOException {
        if (stopped.getCount() == 0) {
            throw inFlight.stopping();
        }
        // The request timeout covers the wait for the headers; this bound covers a body that stalls.
        Duration bound = props.connectTimeout().plus(props.readTimeout()).plusSeconds(1);
        try {
            return inFlight.send(http, request, props.maxPageSize().toBytes(), bound);
        } catch (TimeoutException e) {
            throw new HttpTimeoutException("no complete answer in time");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    /** A bounded, interruptible wait that ends at once when the hub stops. */
    private void pause(Duration d) {
        try {
            if (stopped.await(d.toMillis(), TimeUnit.MILLISECONDS)) {
                throw inFlight.stopping();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceFailure("approvals poll interrupted");
        }
    }

    Duration backoff(int attempt) {
        long factor = 1L << Math.min(20, attempt - 1);
        Duration d = props.initialBackoff().multipliedBy(factor);
        return min(d, props.maxBackoff());
    }

    /** Retry-After as delta-seconds or an HTTP-date; anything else is ignored (exponential backoff then). */
    static Optional<Duration> retryAfter(HttpResponse<?> r) {
        Optional<String> h = r.headers().firstValue("Retry-After").map(String::trim);
        if (h.isEmpty() || h.get().isEmpty()) {
            return Optional.empty();
        }
        String v = h.get();
        if (v.matches("[0-9]{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
        }
        try {
            Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v,
                    DateTimeFormatter.RFC_1123_DATE_TIME));
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
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

    private static String snippet(byte[] body) {
        if (body == null || body.length == 0) {
            return "(empty body)";
        }
        String s = new String(body, 0, Math.min(body.length, 400), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        return ApprovalsMapper.echo(s);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
