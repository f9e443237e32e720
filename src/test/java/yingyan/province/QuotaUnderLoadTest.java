package yingyan.province;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The quota as the province counts it: by when each request reaches it, no more than 20 in any one-second
 * window. Four senders (the push's window) take the quota and then need some time to reach the wire — almost
 * none usually, but now and then tens of milliseconds (signing a 5 MB body, a new connection, a GC pause, a
 * core busy with five other builds): the 429s the benchmark saw (1 in ≈ 500) came from exactly that.
 */
class QuotaUnderLoadTest {
    static final int QUOTA = 20;
    static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    static final int SENDERS = 4;

    private final ExecutorService senders = Executors.newFixedThreadPool(SENDERS);

    @AfterEach
    void stop() {
        senders.shutdownNow();
    }

    @Test
    void requestsHeldUpOnTheirWayToTheWire_stillNoMoreThanTheQuotaInAnySecondAsTheProvinceCountsThem()
            throws Exception {
        // One request in ten is held up 40–100 ms between its permit and the wire.
        List<Long> arrivals = run(quota(), 4, 10, 40, 100);

        assertThat(arrivals.size()).as("requests sent").isGreaterThan(50);
        assertThat(overQuota(arrivals)).as("requests the province would answer 429").isEmpty();
    }

    @Test
    void withNothingHeldUp_theQuotaIsUsedToAtLeastThreeQuarters() throws Exception {
        List<Long> arrivals = run(quota(), 4, 0, 0, 0);

        double seconds = (arrivals.get(arrivals.size() - 1) - arrivals.get(0)) / 1e9;
        double rate = (arrivals.size() - 1) / seconds;
        // Three quarters, not nine tenths: on a two-core CI machine busy with other forks the senders' wake-ups
        // come late (17.9/s was seen once). What this guards against, a quota much stricter than the province's
        // own count (e.g. holding a permit until the answer, or spacing every request 1/20 s plus its send time),
        // shows as a rate well below that.
        assertThat(rate).as("requests/s reaching the province").isGreaterThanOrEqualTo(0.75 * QUOTA);
        assertThat(overQuota(arrivals)).isEmpty();
    }

    /**
     * Four senders request for {@code seconds}: each takes the quota, is held up on one request in
     * {@code oneIn} by a delay between {@code minMs} and {@code maxMs}, reaches the province (its arrival noted),
     * then waits 50 ms for the answer. Returns the arrivals in order.
     */
    private List<Long> run(Quota quota, int seconds, int oneIn, int minMs, int maxMs) throws Exception {
        List<Long> arrivals = new ArrayList<>();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Future<?>> running = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            Random random = new Random(42 + s);
            running.add(senders.submit(() -> {
                while (System.nanoTime() < until) {
                    Quota.Permit permit = quota.acquire();
                    if (permit == null) {
                        return null;
                    }
                    try {
                        if (oneIn > 0 && random.nextInt(oneIn) == 0) {
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(minMs + random.nextInt(maxMs - minMs + 1)));
                        }
                        permit.onWire();
                        synchronized (arrivals) {
                            arrivals.add(System.nanoTime());
                        }
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // the province's answer time
                    } finally {
                        permit.done();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get(seconds + 30, TimeUnit.SECONDS);
        }
        synchronized (arrivals) {
            List<Long> sorted = new ArrayList<>(arrivals);
            sorted.sort(null);
            return sorted;
        }
    }

    /** Each request that arrived within a second of the 20th request before it, as the province counts. */
    private static List<String> overQuota(List<Long> arrivals) {
        List<String> over = new ArrayList<>();
        for (int i = QUOTA; i < arrivals.size(); i++) {
            long span = arrivals.get(i) - arrivals.get(i - QUOTA);
            if (span < SECOND) {
                over.add("#" + i + ": 21 requests within " + span / 1_000_000 + " ms");
            }
        }
        return over;
    }

    /** The quota as the pusher makes it: 20 requests per second, a 5 % margin (the defaults). */
    private static Quota quota() {
        return new Quota(QUOTA, Duration.ofMillis(1050), QUOTA * 0.95);
    }
}
