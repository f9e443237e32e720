package yingyan.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/** A status view asks the database once while it is away, not once per adapter, and again after the back-off. */
class StatusReadsTest {
    private final StatusReads reads = new StatusReads();
    private final AtomicInteger asked = new AtomicInteger();

    @Test
    void afterOneFailedRead_theOthersAnswerUnknownWithoutAskingTheDatabase() {
        assertThat(reads.read(() -> {
            asked.incrementAndGet();
            throw new CannotGetJdbcConnectionException("Connection is not available, request timed out after 2000ms");
        })).isEmpty();
        for (int i = 0; i < 8; i++) {
            assertThat(reads.read(() -> asked.incrementAndGet())).isEmpty();
        }
        assertThat(asked).as("only the first read waited for the database").hasValue(1);
    }

    @Test
    void afterTheBackOff_theDatabaseIsAskedAgain() {
        StatusReads quick = new StatusReads(Duration.ofMillis(200));
        quick.read(() -> {
            throw new CannotGetJdbcConnectionException("refused");
        });
        assertThat(quick.read(asked::incrementAndGet)).isEmpty();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> quick.read(asked::incrementAndGet).isPresent());
        assertThat(quick.read(asked::incrementAndGet)).as("answering again, asked every time").contains(2);
    }

    @Test
    void whileTheDatabaseAnswers_everyReadAsksIt() {
        for (int i = 1; i <= 3; i++) {
            assertThat(reads.read(asked::incrementAndGet)).contains(i);
        }
    }

    @Test
    void anErrorThatIsNotTheDatabases_isNotSwallowed() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> reads.read(() -> {
            throw new IllegalStateException("a bug");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(reads.read(asked::incrementAndGet)).contains(1);
    }
}
