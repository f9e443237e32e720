package yingyan.supervision.conf;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Looks at a directory of supervision files every {@code interval} while the hub runs (one daemon thread);
 * {@code reload} reads them again and keeps the last good configuration itself when they are bad. A zero
 * interval, or files that come from the jar, never change: nothing is scheduled then.
 */
public final class PeriodicReload implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(PeriodicReload.class);

    private final String name;
    private final Duration interval;
    private final Runnable reload;
    private ScheduledExecutorService executor;

    public PeriodicReload(String name, Duration interval, Runnable reload) {
        this.name = name;
        this.interval = interval;
        this.reload = reload;
    }

    @Override
    public synchronized void start() {
        if (interval.isZero() || interval.isNegative()) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "reload-" + name);
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                reload.run();
            } catch (RuntimeException e) {
                log.error("Reloading {} failed; the last good configuration stays", name, e);
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
