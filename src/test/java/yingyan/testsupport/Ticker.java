package yingyan.testsupport;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A department producing while a fault happens: runs {@code tick(0)}, {@code tick(1)}, … on its own thread
 * every {@code period} until stopped. A tick that throws stops the load and fails {@link #stop()}.
 */
public final class Ticker implements AutoCloseable {
    /** One step of the load, numbered from 0. */
    @FunctionalInterface
    public interface Tick {
        void run(int i) throws Exception;
    }

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fault-load");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger ticks = new AtomicInteger();
    private volatile Exception failure;

    private Ticker(Duration period, Tick tick) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                tick.run(ticks.get());
                ticks.incrementAndGet();
            } catch (Exception e) {
                failure = e;
                timer.shutdown();
            }
        }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    public static Ticker every(Duration period, Tick tick) {
        return new Ticker(period, tick);
    }

    /** Ticks done so far. */
    public int ticks() {
        return ticks.get();
    }

    /** Stops producing (the tick under way finishes) and fails if a tick failed. */
    public void stop() throws Exception {
        timer.shutdown();
        if (!timer.awaitTermination(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the load did not stop");
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
