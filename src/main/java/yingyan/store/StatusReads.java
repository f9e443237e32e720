package yingyan.store;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Reads of the municipal database that only feed a status view (health, the console's board): while the database
 * is away each such read would wait a whole connection timeout, and a health request makes a dozen of them, so
 * health would time out instead of answering DOWN. After one failed read the others answer "unknown" at once
 * for {@link #BACK_OFF} (5 s); then the next read tries the database again.
 */
@Component
public class StatusReads {
    static final Duration BACK_OFF = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(StatusReads.class);

    private final Duration backOff;
    private volatile boolean backingOff;
    private volatile long backOffUntil;

    public StatusReads() {
        this(BACK_OFF);
    }

    StatusReads(Duration backOff) {
        this.backOff = backOff;
    }

    /** The query's answer; empty while the database is known to be away or when the query fails. */
    public <T> Optional<T> read(Supplier<T> query) {
        if (backingOff && System.nanoTime() - backOffUntil < 0) {
            return Optional.empty();
        }
        try {
            Optional<T> answer = Optional.ofNullable(query.get());
            backingOff = false;
            return answer;
        } catch (DataAccessException e) {
            backOffUntil = System.nanoTime() + backOff.toNanos();
            backingOff = true;
            log.debug("status read failed, the municipal database is not asked again for {}: {}", backOff,
                    e.getMessage());
            return Optional.empty();
        }
    }
}
