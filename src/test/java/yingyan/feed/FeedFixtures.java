package yingyan.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.CanonicalTime;
import yingyan.canonical.Department;
import yingyan.canonical.Domain;
import yingyan.canonical.Matter;
import yingyan.canonical.Party;
import yingyan.canonical.SourceLineage;
import yingyan.canonical.Status;
import yingyan.canonical.Step;
import yingyan.spi.Payloads;
import yingyan.store.RecordStore;
import yingyan.testsupport.Hubs;

/**
 * Records to apply and an HTTP feed consumer that keeps its cursor, for the feed tests; and the feed's
 * promise on one database, run on H2 by FeedConcurrencyTest and on PostgreSQL by FeedConcurrencyPostgresIT: a
 * consumer that keeps its cursor gets every applied version exactly once, in applied order, while writers
 * apply concurrently and the hub restarts.
 */
public final class FeedFixtures {
    /** Writer threads and batches per writer in {@link #concurrentWritersAndARestart}. */
    static final int WRITERS = 4;
    static final int BATCHES = 12;

    private FeedFixtures() {
    }

    /** A valid record version; its payload hash is unique per (key, version), so a version is recognisable. */
    public static CanonicalRecord rec(String key, int version, String region, Domain domain) {
        return rec("fixture", key, version, region, domain);
    }

    public static CanonicalRecord rec(String system, String key, int version, String region, Domain domain) {
        OffsetDateTime at = CanonicalTime.parseSource("2026-03-01 10:00:00").plusSeconds(version);
        return CanonicalRecord.builder()
                .domain(domain).regionCode(region)
                .department(new Department("FIXTURE", "测试部门", false))
                .matter(new Matter("M-1", "测试事项"))
                .party(Party.org("某公司", "91350100M000100Y43"))
                .status(Status.OPEN)
                .step(Step.RECEIVED, at, null)
                .source(new SourceLineage(system, key, at, OffsetDateTime.now(CanonicalTime.BEIJING),
                        Payloads.sha256((key + "#" + version).getBytes(StandardCharsets.UTF_8))))
                .build();
    }

    /** What identifies one applied version in a feed item or a record_version row. */
    public static String version(String recordId, String payloadSha256) {
        return recordId + "@" + payloadSha256;
    }

    /** Writers and a paging consumer, a restart on the same database with the cursor kept, writers again. */
    static void concurrentWritersAndARestart(Map<String, Object> db) throws Exception {
        ConfigurableApplicationContext hub = Hubs.start(db);
        Consumer consumer = new Consumer(url(hub), "province", "province-secret", 7);
        try {
            writeWhileConsuming(hub, consumer, "a");
            String cursorBeforeRestart = consumer.cursor;
            hub.close();

            hub = Hubs.start(db);
            consumer.baseUrl = url(hub);
            assertThat(consumer.cursor).isEqualTo(cursorBeforeRestart);
            writeWhileConsuming(hub, consumer, "b");
            consumer.drain(null);

            List<String> applied = hub.getBean(JdbcTemplate.class).query(
                    "SELECT record_id, payload_sha256 FROM record_version ORDER BY seq",
                    (rs, i) -> version(rs.getString(1), rs.getString(2)));
            // Per phase: WRITERS threads x BATCHES batches x (2 new records + 1 update from batch 2 on).
            assertThat(applied).hasSize(2 * WRITERS * (3 * BATCHES - 1));
            assertThat(consumer.seen).as("every applied version once, in applied order").containsExactlyElementsOf(applied);
        } finally {
            hub.close();
        }
    }

    private static void writeWhileConsuming(ConfigurableApplicationContext hub, Consumer consumer,
                                            String phase) throws Exception {
        RecordStore store = hub.getBean(RecordStore.class);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < WRITERS; t++) {
                int thread = t;
                writers.add(pool.submit(() -> {
                    for (int b = 1; b <= BATCHES; b++) {
                        String prefix = phase + "-w" + thread + "-b";
                        List<CanonicalRecord> batch = new ArrayList<>();
                        batch.add(rec(prefix + b + "-x", 1, "370783", Domain.APPROVAL));
                        batch.add(rec(prefix + b + "-y", 1, "370700", Domain.HOUSING_FUND));
                        if (b > 1) {
                            batch.add(rec(prefix + (b - 1) + "-x", 2, "370783", Domain.APPROVAL));
                        }
                        applyWithRetry(store, batch);
                    }
                    return null;
                }));
            }
            Future<?> done = Executors.newSingleThreadExecutor().submit(() -> {
                for (Future<?> w : writers) {
                    w.get();
                }
                writing.set(false);
                return null;
            });
            // The consumer pages while the writers write: small pages, many cursors.
            while (writing.get()) {
                consumer.page(null);
            }
            done.get();
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The race that sequence gaps cause, made to happen: transaction A takes its seq and waits before
     * committing; B, started later, must not become visible before A (else a consumer's cursor would pass
     * A's seq and never see A). The consumer pages while A is open, then after both committed.
     */
    static void aLaterCommitNeverPassesAnOpenTransaction(ConfigurableApplicationContext hub, String blockedSql)
            throws Exception {
        RecordStore store = hub.getBean(RecordStore.class);
        JdbcTemplate jdbc = hub.getBean(JdbcTemplate.class);
        TransactionTemplate tx = new TransactionTemplate(hub.getBean(PlatformTransactionManager.class));
        Consumer consumer = new Consumer(url(hub), "province", "province-secret", 50);
        // A and B come from different adapters, so nothing but the feed's own ordering (no shared counter
        // row) makes B wait for A.
        store.apply(List.of(rec("race-0", 1, "370783", Domain.APPROVAL),
                rec("other", "race-0", 1, "370783", Domain.APPROVAL)));
        consumer.drain(null);
        int before = consumer.seen.size();

        CountDownLatch aApplied = new CountDownLatch(1);
        CountDownLatch commitA = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> a = pool.submit(() -> tx.executeWithoutResult(s -> {
                store.apply(List.of(rec("race-A", 1, "370783", Domain.APPROVAL)));
                aApplied.countDown();
                try {
                    commitA.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            aApplied.await();
            Future<?> b = pool.submit(() -> {
                applyWithRetry(store, List.of(rec("other", "race-B", 1, "370783", Domain.APPROVAL)));
                return null;
            });
            // B either committed already (then the bug shows) or waits for A's lock: never a sleep.
            await().atMost(Duration.ofSeconds(20)).until(() -> b.isDone()
                    || jdbc.queryForObject(blockedSql, Integer.class) > 0);
            consumer.drain(null);
            commitA.countDown();
            a.get();
            b.get();
            consumer.drain(null);
        } finally {
            commitA.countDown();
            pool.shutdownNow();
        }
        List<String> got = consumer.seen.subList(before, consumer.seen.size()).stream()
                .map(v -> v.substring(0, v.indexOf('@'))).toList();
        assertThat(got).containsExactly("fixture:race-A", "other:race-B");
    }

    /** As the persist route redelivers: a batch that failed (lock timeout, deadlock) is applied again. */
    static void applyWithRetry(RecordStore store, List<CanonicalRecord> batch) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                store.apply(batch);
                return;
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw last;
    }

    static String url(ConfigurableApplicationContext hub) {
        return "http://127.0.0.1:" + ((WebServerApplicationContext) hub).getWebServer().getPort();
    }

    /** A feed consumer over HTTP: pages with its own credential and keeps its cursor (across hub restarts). */
    public static final class Consumer {
        private final HttpClient http = HttpClient.newHttpClient();
        private final String auth;
        private final int limit;
        volatile String baseUrl;
        volatile String cursor;
        final List<String> seen = new ArrayList<>();

        public Consumer(String baseUrl, String user, String password, int limit) {
            this.baseUrl = baseUrl;
            this.auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                    .getBytes(StandardCharsets.UTF_8));
            this.limit = limit;
        }

        /** Reads one page, remembers its items and moves the cursor; returns how many items it had. */
        public int page(String filters) throws IOException, InterruptedException {
            JsonNode page = CanonicalJson.mapper().readTree(get(filters));
            JsonNode items = page.get("items");
            for (JsonNode item : items) {
                seen.add(version(item.get("recordId").asText(), item.at("/source/payloadSha256").asText()));
            }
            if (!page.get("next").isTextual()) {
                throw new AssertionError("next must always be a cursor: " + page);
            }
            cursor = page.get("next").asText();
            return items.size();
        }

        /** Every version read so far, in feed order ({@link #version}). */
        public synchronized List<String> seen() {
            return List.copyOf(seen);
        }

        /**
         * Asserts that this consumer read every version applied in {@code db} exactly once, in the order applied
         * (record_version.seq): no gap, no repeat, each record's versions in order. Returns how many it read.
         */
        public int assertReadEveryAppliedVersionOnceInOrder(JdbcTemplate db) {
            List<String> applied = db.query("SELECT record_id, payload_sha256 FROM record_version ORDER BY seq",
                    (rs, i) -> version(rs.getString(1), rs.getString(2)));
            List<String> read = seen();
            assertThat(new java.util.HashSet<>(read)).as("no version read twice from the feed").hasSameSizeAs(read);
            assertThat(read).as("the feed: every applied version once, in applied order (no gap, no repeat)")
                    .containsExactlyElementsOf(applied);
            return read.size();
        }

        /** Pages until a page comes back short: caught up. */
        public synchronized void drain(String filters) throws IOException, InterruptedException {
            while (page(filters) == limit) {
                // keep going
            }
        }

        String get(String filters) throws IOException, InterruptedException {
            HttpResponse<String> r = request(filters, "application/json");
            if (r.statusCode() != 200) {
                throw new AssertionError("feed answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        }

        HttpResponse<String> request(String filters, String accept) throws IOException, InterruptedException {
            String q = "limit=" + limit + (cursor == null ? "" : "&after=" + URLEncoder.encode(cursor,
                    StandardCharsets.UTF_8)) + (filters == null || filters.isEmpty() ? "" : "&" + filters);
            return http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/feed?" + q))
                    .header("Authorization", auth).header("Accept", accept).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}
