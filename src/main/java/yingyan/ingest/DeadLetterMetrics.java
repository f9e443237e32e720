package yingyan.ingest;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code yingyan_dlq_messages}: how many messages wait in the broker's dead-letter queue (conf/prometheus
 * alerts on it). Counted by browsing, at most once per {@link #MAX_AGE} however many scrapers ask, and up to
 * {@link #CAP}: above that the figure says "very many" and the console's list says which.
 */
@Component
class DeadLetterMetrics implements MeterBinder {
    static final Duration MAX_AGE = Duration.ofSeconds(5);
    static final int CAP = 100_000;
    private static final Logger log = LoggerFactory.getLogger(DeadLetterMetrics.class);

    private final DeadLetters letters;
    private long readAt;
    private double depth = Double.NaN;

    DeadLetterMetrics(DeadLetters letters) {
        this.letters = letters;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("yingyan.dlq.messages", this, DeadLetterMetrics::depth)
                .description("messages in the broker's dead-letter queue (counted up to " + CAP + "; NaN: broker"
                        + " unreachable)").register(registry);
    }

    synchronized double depth() {
        long now = System.nanoTime();
        if (readAt == 0 || now - readAt > MAX_AGE.toNanos()) {
            try {
                depth = letters.depth(CAP);
            } catch (RuntimeException e) {
                log.debug("dead-letter queue not counted: {}", e.getMessage());
                depth = Double.NaN;
            }
            readAt = now;
        }
        return depth;
    }
}
