package yingyan.adapters.approvals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import yingyan.ingest.PollingSource.SourceFailure;

/** The request policy on its own: Retry-After capped, and waits that end when the hub stops. */
class ApprovalsApiTest {
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile String retryAfter;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/cases", ex -> {
            int n = requests.incrementAndGet();
            byte[] ok = "{\"items\":[]}".getBytes(StandardCharsets.UTF_8);
            if (n == 1 || retryAfter == null) {
                if (retryAfter != null) {
                    ex.getResponseHeaders().set("Retry-After", retryAfter);
                }
                ex.sendResponseHeaders(503, -1);
            } else {
                ex.sendResponseHeaders(200, ok.length);
                ex.getResponseBody().write(ok);
            }
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private ApprovalsApi api(Duration initialBackoff, Duration maxBackoff, int attempts) {
        return new ApprovalsApi(new ApprovalsProperties(true, "http://127.0.0.1:" + server.getAddress().getPort(),
                "k", Duration.ofHours(1), 200, Duration.ofSeconds(90), "", Duration.ofSeconds(5),
                Duration.ofSeconds(5), attempts, initialBackoff, maxBackoff));
    }

    @Test
    void aRetryAfterLongerThanMaxBackoffIsCapped() {
        retryAfter = "3600";
        long started = System.nanoTime();
        byte[] body = api(Duration.ofMillis(10), Duration.ofMillis(300), 3).cases(null, 1, 200);
        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("{\"items\":[]}");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(250),
                Duration.ofSeconds(30));
        assertThat(requests).hasValue(2);
    }

    @Test
    void aBackoffWaitEndsAtOnceWhenTheHubStops() throws Exception {
        ApprovalsApi api = api(Duration.ofMinutes(10), Duration.ofMinutes(10), 5);
        CompletableFuture<byte[]> poll = CompletableFuture.supplyAsync(() -> api.cases(null, 1, 200));
        await().atMost(Duration.ofSeconds(10)).until(() -> requests.get() == 1);
        api.stop();
        assertThatThrownBy(() -> poll.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(SourceFailure.class).hasMessageContaining("shutting down");
        assertThat(requests).hasValue(1);
    }

    @Test
    void aBackoffWaitIsInterruptible() throws Exception {
        ApprovalsApi api = api(Duration.ofMinutes(10), Duration.ofMinutes(10), 5);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                api.cases(null, 1, 200);
            } catch (SourceFailure e) {
                failure.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        t.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> requests.get() == 1);
        t.interrupt();
        t.join(10_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(failure.get()).hasMessageContaining("interrupted");
        assertThat(stillInterrupted.get()).isTrue();
    }
}
