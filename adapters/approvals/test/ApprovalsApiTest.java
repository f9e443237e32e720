package yingyan.adapters.approvals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import yingyan.spi.PollingSource.SourceFailure;

/** The request policy on its own: Retry-After capped, and waits that end when the hub stops. */
class ApprovalsApiTest {
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile String retryAfter;
    private volatile long hugeBody = -1;
    private volatile boolean declareLength;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/cases", ex -> {
            int n = requests.incrementAndGet();
            if (hugeBody >= 0) {
                answerHuge(ex);
                return;
            }
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

    /** A valid page padded with blanks to the given size, with or without Content-Length, sent as it goes. */
    private void answerHuge(HttpExchange ex) throws IOException {
        byte[] head = "{\"total\":0,\"items\":[]".getBytes(StandardCharsets.UTF_8);
        byte[] blanks = new byte[64 * 1024];
        Arrays.fill(blanks, (byte) ' ');
        ex.sendResponseHeaders(200, declareLength ? hugeBody : 0);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(head);
            long left = hugeBody - head.length - 1;
            while (left > 0) {
                int n = (int) Math.min(blanks.length, left);
                out.write(blanks, 0, n);
                left -= n;
            }
            out.write('}');
        } catch (IOException hubHungUp) {
            // expected once the hub refuses the answer
        }
        ex.close();
    }

    @Test
    void anAnswerLargerThanTheLimitIsRefusedWithoutRetryingOrHoldingIt() {
        hugeBody = 65L * 1024 * 1024; // the default limit is 64 MiB
        for (boolean declared : new boolean[] {false, true}) {
            declareLength = declared;
            requests.set(0);
            assertThatThrownBy(() -> api(Duration.ofMillis(10), Duration.ofMillis(10), 3).cases(null, 1, 200))
                    .as("Content-Length declared: %s", declared)
                    .isInstanceOf(SourceFailure.class)
                    .hasMessageContaining("larger than 67108864 bytes")
                    .hasMessageContaining("hub.adapters.approvals.max-page-size")
                    .hasMessageContaining("GET /api/cases?page=1&size=200");
            assertThat(requests).hasValue(1);
        }
    }

    private ApprovalsApi api(Duration initialBackoff, Duration maxBackoff, int attempts) {
        return new ApprovalsApi(new ApprovalsProperties(true, "http://127.0.0.1:" + server.getAddress().getPort(),
                "k", Duration.ofHours(1), 200, Duration.ofSeconds(90), "", Duration.ofSeconds(5),
                Duration.ofSeconds(5), attempts, initialBackoff, maxBackoff, DataSize.ofMegabytes(64)));
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
