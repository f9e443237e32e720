package yingyan.spi;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import yingyan.spi.PollingSource.SourceFailure;

/**
 * The retry policy of an adapter that polls an HTTP API, shared so that each adapter keeps only what its
 * contract makes its own (which answers are retried, what a 401 or 410 means). A failed attempt waits the
 * answer's {@code Retry-After} (delta-seconds or an HTTP-date, read against the injected clock) up to
 * {@code retryAfterCeiling}, else a backoff doubling from {@code initialBackoff} up to {@code maxBackoff};
 * after {@code maxAttempts} the poll fails with the reason. Waits end at once when the hub stops
 * ({@link #stop}) or the thread is interrupted.
 */
public final class HttpRetry {
    private static final Logger log = LoggerFactory.getLogger(HttpRetry.class);

    private final InFlightRequests inFlight;
    private final String adapter;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration retryAfterCeiling;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Clock clock = Clock.systemUTC();

    /**
     * @param inFlight the adapter's requests under way ({@link #stop} cancels them); names the adapter
     * @param retryAfterCeiling the longest Retry-After honoured; a longer one is waited this long
     */
    public HttpRetry(InFlightRequests inFlight, String adapter, int maxAttempts, Duration initialBackoff,
                     Duration maxBackoff, Duration retryAfterCeiling) {
        this.inFlight = inFlight;
        this.adapter = adapter;
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.retryAfterCeiling = retryAfterCeiling;
    }

    /** The clock an HTTP-date Retry-After is read against (tests). */
    public void useClock(Clock c) {
        this.clock = c;
    }

    /** Ends waits and requests under way: the hub is shutting down. */
    public void stop() {
        stopped.countDown();
        inFlight.cancelAll();
    }

    public boolean stopped() {
        return stopped.getCount() == 0;
    }

    /** The wait after failed attempt {@code attempt} (1-based) without a Retry-After. */
    public Duration backoff(int attempt) {
        long factor = 1L << Math.min(20, attempt - 1);
        return min(initialBackoff.multipliedBy(factor), maxBackoff);
    }

    /** The wait after a retried answer: its Retry-After up to the ceiling, else the backoff. */
    public Duration waitAfter(HttpResponse<?> r, int attempt) {
        return retryAfter(r, clock).map(d -> min(d, retryAfterCeiling)).orElseGet(() -> backoff(attempt));
    }

    /** " (Retry-After …)" as the answer gave it, for a reason; empty without one. */
    public static String retryAfterNote(HttpResponse<?> r) {
        return r.headers().firstValue("Retry-After").map(v -> " (Retry-After " + v + ")").orElse("");
    }

    /** Retry-After as delta-seconds or an HTTP-date (against {@code clock}); anything else is ignored. */
    public static Optional<Duration> retryAfter(HttpResponse<?> r, Clock clock) {
        Optional<String> h = r.headers().firstValue("Retry-After").map(String::trim);
        if (h.isEmpty() || h.get().isEmpty()) {
            return Optional.empty();
        }
        String v = h.get();
        if (v.matches("[0-9]{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
        }
        try {
            Duration d = Duration.between(ZonedDateTime.now(clock),
                    ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** What went wrong with a request that did not answer, in words naming the setting to look at. */
    public String problem(IOException e, String root, Duration connectTimeout, Duration readTimeout) {
        if (e instanceof HttpConnectTimeoutException) {
            return "could not connect within " + connectTimeout.toMillis() + " ms (hub.adapters." + adapter
                    + ".connect-timeout)";
        }
        if (e instanceof HttpTimeoutException) {
            return "did not answer within " + readTimeout.toMillis() + " ms (hub.adapters." + adapter
                    + ".read-timeout)";
        }
        if (e instanceof ConnectException) {
            return "refused the connection to " + root + " (" + e.getMessage() + ")";
        }
        return "failed: " + e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /**
     * After failed attempt {@code attempt}: the poll fails when it was the last, else waits {@code wait}.
     *
     * @throws SourceFailure "approvals answered 503 to GET …, 5 of 5 attempts (…max-attempts); …"
     */
    public void failed(int attempt, String problem, String what, Duration wait) {
        if (attempt >= maxAttempts) {
            throw new SourceFailure(adapter + " " + problem + " to " + what + ", " + attempt + " of " + maxAttempts
                    + " attempts (hub.adapters." + adapter + ".max-attempts); the poll stops here and resumes from"
                    + " the watermark");
        }
        log.info("{} {} to {} (attempt {} of {}); retrying in {} ms", adapter, problem, what, attempt, maxAttempts,
                wait.toMillis());
        pause(wait);
    }

    /**
     * One attempt: sends the request and waits for its whole answer (at most {@code maxBytes}), cancelled when the
     * hub stops. The request's own timeout covers the wait for the headers; a body that stalls is bounded by
     * {@code connectTimeout + readTimeout + 1 s}.
     *
     * @throws IOException the exchange failed ({@link BoundedBody.TooLarge}, a timeout, a refused connection, ...),
     *                     for {@link #problem} to put in words
     */
    public HttpResponse<byte[]> send(HttpClient http, HttpRequest request, long maxBytes, Duration connectTimeout,
                                     Duration readTimeout) throws IOException {
        if (stopped()) {
            throw inFlight.stopping();
        }
        Duration bound = connectTimeout.plus(readTimeout).plusSeconds(1);
        try {
            return inFlight.send(http, request, maxBytes, bound);
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
    public void pause(Duration d) {
        try {
            if (stopped.await(d.toMillis(), TimeUnit.MILLISECONDS)) {
                throw inFlight.stopping();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceFailure(adapter + " poll interrupted");
        }
    }

    /** The start of an answer's body for a reason: blanks folded, resident IDs masked, cut. */
    public static String snippet(byte[] body) {
        if (body == null || body.length == 0) {
            return "(empty body)";
        }
        String s = new String(body, 0, Math.min(body.length, 400), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        return MappingProblems.echo(s);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
