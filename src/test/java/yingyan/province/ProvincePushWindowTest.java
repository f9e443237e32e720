package yingyan.province;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import yingyan.ingest.FixtureMapper;
import yingyan.spi.IngestGateway;
import yingyan.spi.SourceItem;

/**
 * Several batches in flight at once against a province that takes its time to answer (as the benchmark's
 * SlowProvince): the window overlaps requests, never breaks the quota as the province counts it, and every
 * version is still filed exactly once; a batch answered 503 while others are out goes again under its key.
 */
@SpringBootTest
@ActiveProfiles("test")
@Import(FixtureMapper.Config.class)
class ProvincePushWindowTest {
    static final int QUOTA = 20;
    static final int WINDOW = 4;
    static final TimedProvince province = new TimedProvince();

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("hub.province.enabled", () -> "true");
        r.add("hub.province.base-url", province::baseUrl);
        r.add("hub.province.secret", () -> ProvincePushTest.SECRET);
        r.add("hub.province.batch-max-records", () -> "5");
        r.add("hub.province.requests-per-second", () -> String.valueOf(QUOTA));
        r.add("hub.province.max-in-flight", () -> String.valueOf(WINDOW));
        r.add("hub.province.poll-interval", () -> "50");
        r.add("hub.province.initial-backoff", () -> "200ms");
        r.add("hub.province.max-backoff", () -> "1s");
        r.add("hub.province.breaker-failure-threshold", () -> "3");
        r.add("hub.province.breaker-open-for", () -> "300ms");
    }

    @AfterAll
    static void stop() {
        province.close();
    }

    @Autowired
    IngestGateway gateway;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CamelContext camel;
    @Autowired
    BatchSender sender;

    @BeforeEach
    void reset() throws Exception {
        camel.getRouteController().stopRoute("province-push");
        jdbc.update("DELETE FROM province_delivery");
        jdbc.update("DELETE FROM province_batch");
        sender.resetBreaker();
        province.reset();
        camel.getRouteController().startRoute("province-push");
    }

    @Test
    void slowAnswersOverlap_withinTheQuotaAsTheProvinceCountsIt_andEveryVersionIsAcceptedOnce() throws Exception {
        province.latencyMillis = 150; // one at a time: under 7 requests/s
        List<String> ids = submit("W", 300);

        await().atMost(Duration.ofSeconds(60)).until(() -> accepted() == 300);

        List<TimedProvince.Request> sent = province.requests();
        // More than one request was out at once, never more than the window.
        assertThat(province.maxConcurrent.get()).isGreaterThan(1).isLessThanOrEqualTo(WINDOW);
        assertThat(overlapping(sent)).isTrue();
        // No 21 starts within any second, as the province saw them.
        for (int i = QUOTA; i < sent.size(); i++) {
            assertThat(sent.get(i).start() - sent.get(i - QUOTA).start())
                    .as("starts %d..%d", i - QUOTA, i).isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(1));
        }
        // Every version ACCEPTED exactly once, each batch sent once, each record in exactly one batch.
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM province_delivery", Integer.class)).isEqualTo(300);
        assertThat(jdbc.queryForList("SELECT record_id FROM province_delivery WHERE state = 'ACCEPTED'"
                + " AND accepted_at IS NOT NULL AND batch_id IS NOT NULL", String.class))
                .hasSize(300).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        assertThat(sent.stream().map(TimedProvince.Request::key)).doesNotHaveDuplicates();
        assertThat(sent.stream().flatMap(r -> r.recordIds().stream())).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(jdbc.queryForList("SELECT DISTINCT state FROM province_batch", String.class)).containsExactly("DONE");
    }

    @Test
    void aBatchAnswered503WhileOthersAreInFlight_goesAgainUnderItsKeyWithItsBytes_andNothingIsFiledTwice()
            throws Exception {
        province.latencyMillis = 100;
        province.busyOnce.add("fixture:R-12"); // in the third batch of five
        List<String> ids = submit("R", 40);

        await().atMost(Duration.ofSeconds(60)).until(() -> accepted() == 40);

        List<TimedProvince.Request> sent = province.requests();
        List<TimedProvince.Request> retried = sent.stream()
                .filter(r -> r.recordIds().contains("fixture:R-12")).toList();
        assertThat(retried).hasSize(2);
        TimedProvince.Request first = retried.get(0);
        TimedProvince.Request again = retried.get(1);
        assertThat(first.status()).isEqualTo(503);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.key()).isEqualTo(first.key()).isEqualTo(first.batchId());
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.signature()).isEqualTo(first.signature());
        // The others did not wait for it: batches went between its 503 and its resend, some at once.
        assertThat(sent.stream().filter(r -> !r.key().equals(first.key()))
                .anyMatch(r -> r.start() > first.start() && r.start() < again.start())).isTrue();
        assertThat(overlapping(sent)).isTrue();

        // Every version filed once: 40 rows, each ACCEPTED, each record in exactly one 200 answer.
        assertThat(jdbc.queryForList("SELECT record_id FROM province_delivery WHERE state = 'ACCEPTED'", String.class))
                .hasSize(40).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        assertThat(sent.stream().filter(r -> r.status() == 200).flatMap(r -> r.recordIds().stream()))
                .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        Map<String, Object> b = jdbc.queryForMap("SELECT state, attempts, http_status FROM province_batch"
                + " WHERE batch_id = ?", first.key());
        assertThat(b.get("state")).isEqualTo("DONE");
        assertThat(((Number) b.get("attempts")).intValue()).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM province_batch WHERE state <> 'DONE'", Integer.class))
                .isZero();
    }

    @Test
    void aProvinceThatKeepsFailingHoldsAtMostTheWindowOfBatchesFormed() throws Exception {
        province.latencyMillis = 0;
        province.alwaysBusy = true;
        submit("F", 60); // twelve batches' worth

        await().atMost(Duration.ofSeconds(20)).until(() -> province.requests().size() >= 6);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() ->
                jdbc.queryForObject("SELECT COUNT(*) FROM province_batch", Integer.class) <= WINDOW);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM province_delivery WHERE state = 'PENDING'",
                Integer.class)).isGreaterThanOrEqualTo(60 - 5 * WINDOW);
        assertThat(province.requests().stream().map(TimedProvince.Request::key).distinct().count())
                .isLessThanOrEqualTo(WINDOW);

        province.alwaysBusy = false;
        await().atMost(Duration.ofSeconds(30)).until(() -> accepted() == 60);
        assertThat(jdbc.queryForList("SELECT record_id FROM province_delivery WHERE state = 'ACCEPTED'", String.class))
                .hasSize(60).doesNotHaveDuplicates();
    }

    // ---- helpers ----

    private List<String> submit(String prefix, int n) {
        List<String> ids = new ArrayList<>();
        List<SourceItem> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(FixtureMapper.item(prefix + "-" + i, "2026-03-01 10:00:00", "1.00"));
            ids.add("fixture:" + prefix + "-" + i);
            if (items.size() == 100) {
                gateway.submit(List.copyOf(items));
                items.clear();
            }
        }
        if (!items.isEmpty()) {
            gateway.submit(items);
        }
        return ids;
    }

    private int accepted() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM province_delivery WHERE state = 'ACCEPTED'", Integer.class);
    }

    /** Whether some request started before another one (by start time) had been answered. */
    private static boolean overlapping(List<TimedProvince.Request> sent) {
        for (int i = 1; i < sent.size(); i++) {
            if (sent.get(i).start() < sent.get(i - 1).end()) {
                return true;
            }
        }
        return false;
    }

    /**
     * A province stub that answers each batch after {@code latencyMillis} as WireMockProvince does, and
     * records when every request reached it and when it was answered, and how many were out at once. A
     * batch holding a record of {@code busyOnce} is answered 503 the first time; {@code alwaysBusy}
     * answers 503 to all.
     */
    static final class TimedProvince implements AutoCloseable {
        record Request(String key, String batchId, String signature, byte[] body, List<String> recordIds,
                       long start, long end, int status) {
        }

        private static final ObjectMapper JSON = new ObjectMapper();
        private final HttpServer server;
        private final ExecutorService pool = Executors.newFixedThreadPool(16);
        private final List<Request> requests = new CopyOnWriteArrayList<>();
        private final AtomicInteger concurrent = new AtomicInteger();
        final AtomicInteger maxConcurrent = new AtomicInteger();
        final Set<String> busyOnce = ConcurrentHashMap.newKeySet();
        private final Set<String> wasBusy = ConcurrentHashMap.newKeySet();
        volatile long latencyMillis;
        volatile boolean alwaysBusy;

        TimedProvince() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.setExecutor(pool);
            server.createContext(ProvincePushTest.PATH, exchange -> {
                try (exchange) {
                    long start = System.nanoTime();
                    maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    JsonNode batch = JSON.readTree(body);
                    List<String> ids = new ArrayList<>();
                    for (JsonNode r : batch.get("records")) {
                        ids.add(r.get("recordId").asText());
                    }
                    String batchId = batch.get("batchId").asText();
                    boolean busy = alwaysBusy || ids.stream().anyMatch(busyOnce::contains) && wasBusy.add(batchId);
                    LockSupport.parkNanos(start + TimeUnit.MILLISECONDS.toNanos(latencyMillis) - System.nanoTime());
                    byte[] answer = busy ? new byte[0] : WireMockProvince.answer(body).getBytes(StandardCharsets.UTF_8);
                    concurrent.decrementAndGet(); // before the answer leaves: the hub may start another at once
                    requests.add(new Request(exchange.getRequestHeaders().getFirst("Idempotency-Key"), batchId,
                            exchange.getRequestHeaders().getFirst("X-Signature"), body, ids, start, System.nanoTime(),
                            busy ? 503 : 200));
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(busy ? 503 : 200, busy ? -1 : answer.length);
                    if (!busy) {
                        try (OutputStream out = exchange.getResponseBody()) {
                            out.write(answer);
                        }
                    }
                }
            });
            server.start();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        /** Requests received, in the order they reached the province. */
        List<Request> requests() {
            List<Request> out = new ArrayList<>(requests);
            out.sort(Comparator.comparingLong(Request::start));
            return out;
        }

        void reset() {
            requests.clear();
            busyOnce.clear();
            wasBusy.clear();
            alwaysBusy = false;
            concurrent.set(0);
            maxConcurrent.set(0);
        }

        @Override
        public void close() {
            server.stop(0);
            pool.shutdownNow();
        }
    }
}
