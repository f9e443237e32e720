package yingyan.testsupport;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in's answer time (a slow source) without a sleeping thread: the handler hands its answer over and
 * returns, and the answer is written once the latency has passed, on a timer thread. The JDK's HTTP server
 * lets an exchange be answered from another thread after its handler returned.
 */
public final class Latency implements AutoCloseable {
    /** Writes one answer (an {@code IOException}: the client went away, as a killed hub does). */
    @FunctionalInterface
    public interface Answer {
        void write() throws IOException;
    }

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "stand-in-latency");
        t.setDaemon(true);
        return t;
    });
    private volatile Duration delay;

    public Latency(Duration delay) {
        this.delay = delay;
    }

    /** From now on every answer takes {@code delay}. */
    public void set(Duration delay) {
        this.delay = delay;
    }

    /** Writes {@code answer} once the latency has passed (at once when it is zero). */
    public void answer(Answer answer) {
        Duration d = delay;
        if (d.isZero()) {
            write(answer);
        } else {
            timer.schedule(() -> write(answer), d.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static void write(Answer answer) {
        try {
            answer.write();
        } catch (IOException e) {
            // the client is gone (a killed hub): nobody is waiting for this answer any more
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
