package yingyan.spi;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import yingyan.spi.PollingSource.SourceFailure;

/**
 * An adapter's HTTP requests under way, each read with {@link BoundedBody}: the hub's shutdown cancels them
 * ({@link #cancelAll}), so a poll waiting on a stalled server does not hold the shutdown up.
 */
public final class InFlightRequests {
    private final String adapter;
    private final Set<CompletableFuture<?>> requests = ConcurrentHashMap.newKeySet();

    /** {@code adapter} names the poll in the failures: "approvals poll interrupted". */
    public InFlightRequests(String adapter) {
        this.adapter = adapter;
    }

    /**
     * Sends the request and waits for the whole answer, however long the client's own timeouts let it take.
     *
     * @throws ExecutionException the exchange failed; its cause says why ({@link BoundedBody.TooLarge} among them)
     * @throws SourceFailure      the hub is shutting down, or the thread was interrupted (the request is cancelled)
     */
    public HttpResponse<byte[]> send(HttpClient http, HttpRequest request, long maxBytes) throws ExecutionException {
        try {
            return send(http, request, maxBytes, null);
        } catch (TimeoutException e) {
            throw new IllegalStateException("a wait without a bound timed out", e);
        }
    }

    /**
     * {@link #send(HttpClient, HttpRequest, long)}, waiting at most {@code bound} (null: no bound).
     *
     * @throws TimeoutException no whole answer within the bound (the request is cancelled)
     */
    public HttpResponse<byte[]> send(HttpClient http, HttpRequest request, long maxBytes, Duration bound)
            throws ExecutionException, TimeoutException {
        CompletableFuture<HttpResponse<byte[]>> f = http.sendAsync(request, BoundedBody.ofByteArray(maxBytes));
        requests.add(f);
        try {
            return bound == null ? f.get() : f.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw e;
        } catch (CancellationException e) {
            throw stopping();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new SourceFailure(adapter + " poll interrupted");
        } finally {
            requests.remove(f);
        }
    }

    /** Cancels every request under way; their {@code send} ends with {@link #stopping()}. */
    public void cancelAll() {
        requests.forEach(f -> f.cancel(true));
    }

    /** The failure a poll ends with when the hub stops. */
    public SourceFailure stopping() {
        return new SourceFailure(adapter + " poll stopped: the hub is shutting down");
    }
}
