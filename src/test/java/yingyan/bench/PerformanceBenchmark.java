package yingyan.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.camel.CamelContext;
import org.awaitility.Awaitility;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import yingyan.testsupport.FakeApprovalsSystem;
import yingyan.testsupport.FakeProvince;
import yingyan.testsupport.Hubs;
import yingyan.testsupport.Services;
import yingyan.testsupport.StandaloneArtemis;

/**
 * The performance benchmark (docs/performance.md): {@code mvn -Pbench verify}; not part of the plain
 * build (failsafe runs it only in the {@code bench} profile). One JVM ({@code -Xmx512m}), one seeded
 * backlog of approvals cases served over HTTP, PostgreSQL with synchronous_commit=on in fresh databases,
 * the standalone Artemis broker with its journal synced:
 * <ol>
 *   <li>the floor ({@link Floor}): the same items into the same tables by plain JDBC, no Camel, no broker;</li>
 *   <li>the hub as production runs it (profile {@code prod}): the approvals adapter polling the source,
 *       the ingest route, the persistent queue, the persist route, RecordStore; records/s at the floor's
 *       volume and at the full volume, CPU, and the live heap high-water at both;</li>
 *   <li>latency from read to commit with the source releasing cases at 80 % of the hub's rate;</li>
 *   <li>the provincial push against a province answering after 50 ms, within 20 requests/s;</li>
 *   <li>the change feed read by one consumer, 1 000 per page.</li>
 * </ol>
 * Volumes and durations are system properties ({@code bench.records}, {@code bench.floor-records},
 * {@code bench.latency-seconds}, {@code bench.push-seconds}, {@code bench.feed-records}, {@code bench.seed}).
 */
class PerformanceBenchmark {
    static final String API_KEY = "bench-approvals-key";
    static final String PROVINCE_SECRET = "bench-province-secret-0123456789";
    private static final String HMAC = "bench-hmac-key-0123456789abcdef";
    private static final String FEED_PASSWORD = "bench-feed-password";

    private final long records = Long.getLong("bench.records", 5_000_000);
    private final long floorRecords = Math.min(records, Long.getLong("bench.floor-records", 1_000_000));
    private final int latencySeconds = Integer.getInteger("bench.latency-seconds", 60);
    private final int pushSeconds = Integer.getInteger("bench.push-seconds", 30);
    private final long feedRecords = Math.min(records, Long.getLong("bench.feed-records", 1_000_000));
    private final long seed = Long.getLong("bench.seed", 42);
    private final Map<String, String> rows = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> dropAtEnd = new ArrayList<>();

    @TempDir
    Path tmp;

    @Test
    void floorHubLatencyPushAndFeed() throws Exception {
        String started = OffsetDateTime.now(ZoneId.of("Asia/Shanghai"))
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        String loadBefore = loadAverage();
        ApprovalsBacklog backlog = new ApprovalsBacklog(seed);
        // Only cases 0 .. visible-1 exist: the whole backlog at once, or released at a set rate.
        AtomicLong visible = new AtomicLong();
        try (FakeApprovalsSystem source = FakeApprovalsSystem.paging(API_KEY,
                (since, page, size) -> backlog.page(since, page, size, visible.get()));
             HeapWatch heap = new HeapWatch()) {
            // ---- 1. the floor ----
            String floorDb = freshDatabase("bench_floor");
            visible.set(floorRecords);
            Cpu floorCpu;
            double floorSeconds;
            try (Floor floor = new Floor(floorDb, Services.pgUser(), source, API_KEY, HMAC, 1000)) {
                Cpu c0 = Cpu.now(null, source, floorDb);
                long t0 = System.nanoTime();
                floor.load(floorRecords);
                floorSeconds = (System.nanoTime() - t0) / 1e9;
                floorCpu = Cpu.now(null, source, floorDb).minus(c0);
            }
            assertThat(count(floorDb, "SELECT COUNT(*) FROM record")).isEqualTo(floorRecords);
            double floorRate = floorRecords / floorSeconds;
            say("floor: %,d records in %.1f s = %,.0f records/s; CPU %s", floorRecords, floorSeconds, floorRate,
                    floorCpu.per1000(floorRecords));
            drop(floorDb);
            checkpoint();

            // ---- 2. the hub ----
            String hubDb = freshDatabase("bench_hub");
            visible.set(0);
            try (StandaloneArtemis broker = StandaloneArtemis.create(tmp).start();
                 FakeProvince province = FakeProvince.countingOnly(PROVINCE_SECRET).latency(50).quota(20)) {
                String xml = broker.brokerXml();
                notes.add("broker: standalone apache-artemis (" + between(xml, "<journal-type>", "</journal-type>")
                        + " journal, journal-datasync " + between(xml, "<journal-datasync>", "</journal-datasync>")
                        + ", journal-buffer-timeout " + between(xml, "<journal-buffer-timeout>",
                        "</journal-buffer-timeout>") + " ns)");
                try (ConfigurableApplicationContext hub = Hubs.start("prod", hubProperties(hubDb, source, broker,
                        province))) {
                    JdbcTemplate jdbc = hub.getBean(JdbcTemplate.class);
                    LongSupplier applied = () -> {
                        Long n = jdbc.queryForObject("SELECT COALESCE(SUM(applied), 0) FROM ingest_counter", Long.class);
                        return n == null ? 0 : n;
                    };
                    heap.reset();
                    Cpu h0 = Cpu.now(broker, source, hubDb);
                    long start = System.nanoTime();
                    visible.set(records);
                    long[] at = new long[1];
                    long[] heapAt = new long[1];
                    Cpu[] cpuAt = new Cpu[1];
                    Awaitility.await().forever().pollInterval(Duration.ofMillis(200)).until(() -> {
                        long n = applied.getAsLong();
                        if (at[0] == 0 && n >= floorRecords) {
                            at[0] = System.nanoTime();
                            heapAt[0] = heap.maxLive();
                            cpuAt[0] = Cpu.now(broker, source, hubDb);
                        }
                        progress("hub", n, records, start);
                        return n >= records;
                    });
                    long end = System.nanoTime();
                    long liveAll = heap.maxLive();
                    Cpu hubCpu = Cpu.now(broker, source, hubDb).minus(h0);
                    double hubSecondsAtFloor = (at[0] - start) / 1e9;
                    double hubRate = floorRecords / hubSecondsAtFloor;
                    double hubRateAll = records / ((end - start) / 1e9);
                    assertThat(count(hubDb, "SELECT COUNT(*) FROM record")).isEqualTo(records);
                    say("hub: first %,d records in %.1f s = %,.0f records/s; all %,d at %,.0f records/s; CPU %s",
                            floorRecords, hubSecondsAtFloor, hubRate, records, hubRateAll,
                            cpuAt[0].minus(h0).per1000(floorRecords));
                    rows.put("floor (plain JDBC: COPY, one array SELECT … FOR UPDATE per 1 000)",
                            fmt("%,.0f records/s", floorRate) + " | " + floorCpu.per1000(floorRecords));
                    rows.put(fmt("hub, first %,d records (approvals adapter → ingest → Artemis → persist → PostgreSQL)",
                            floorRecords), fmt("%,.0f records/s", hubRate) + " | " + cpuAt[0].minus(h0)
                            .per1000(floorRecords));
                    rows.put(fmt("hub, all %,d records", records), fmt("%,.0f records/s", hubRateAll) + " | "
                            + hubCpu.per1000(records));
                    rows.put("hub / floor", fmt("%.2f", hubRate / floorRate) + " | ");
                    rows.put(fmt("live heap high-water (after full GC, -Xmx%d m): at %,d / at %,d records",
                            Runtime.getRuntime().maxMemory() >> 20, floorRecords, records),
                            fmt("%,d MB / %,d MB", heapAt[0] >> 20, liveAll >> 20) + " | ");

                    // What autovacuum gives a production database after a bulk load (this machine's server runs
                    // with autovacuum off): statistics for the planner, and the load's dirty pages flushed, so the
                    // next phases meet the database a production hub would, not one with no statistics at all.
                    maintain(hubDb);

                    // ---- 3. latency at 80 % of the hub's rate ----
                    latency(jdbc, visible, hubRateAll * 0.8);

                    // ---- 4. the provincial push ----
                    push(hub, jdbc, province);

                    // ---- 5. the feed ----
                    feed(hub);
                }
            }
            checkpoint();
        } finally {
            for (String db : List.copyOf(dropAtEnd)) {
                drop(db);
            }
        }
        String loadAfter = loadAverage();
        writeSummary(started, loadBefore, loadAfter);
    }

    /**
     * The hub's rate with every rule on against supervision off (issue 12: a drop of at most 15 %), over
     * {@code bench.rules-records} (default 500,000) of the same backlog, each mode in its own fresh database and
     * broker, supervision off first. "On" is timed twice: until every record is stored (the rate the hub takes a
     * backlog at while the follower evaluates beside it) and until the follower's position has reached the last
     * stored version (every record's rules run too). Each mode's CPU per 1,000 records (JVM less the source, broker,
     * database backends) is measured over the same span, a figure the machine's other load moves less.
     * {@code mvn -Pbench verify -Dit.test=PerformanceBenchmark#rulesOnVsOff}.
     */
    @Test
    void rulesOnVsOff() throws Exception {
        long n = Long.getLong("bench.rules-records", 500_000);
        String loadBefore = loadAverage();
        ApprovalsBacklog backlog = new ApprovalsBacklog(seed);
        AtomicLong visible = new AtomicLong();
        double[] stored = new double[2];
        String[] cpu = new String[2];
        double evaluated = 0;
        long alerts = 0;
        try (FakeApprovalsSystem source = FakeApprovalsSystem.paging(API_KEY,
                (since, page, size) -> backlog.page(since, page, size, visible.get()))) {
            for (int mode = 0; mode < 2; mode++) {
                boolean on = mode == 1;
                String db = freshDatabase(on ? "bench_rules_on" : "bench_rules_off");
                visible.set(0);
                try (StandaloneArtemis broker = StandaloneArtemis.create(
                        Files.createDirectories(tmp.resolve(on ? "on" : "off"))).start();
                     FakeProvince province = FakeProvince.countingOnly(PROVINCE_SECRET)) {
                    Map<String, Object> props = hubProperties(db, source, broker, province);
                    props.put("hub.supervision.alerts.enabled", String.valueOf(on));
                    try (ConfigurableApplicationContext hub = Hubs.start("prod", props)) {
                        JdbcTemplate jdbc = hub.getBean(JdbcTemplate.class);
                        Cpu c0 = Cpu.now(broker, source, db);
                        long start = System.nanoTime();
                        visible.set(n);
                        Awaitility.await().forever().pollInterval(Duration.ofMillis(200)).until(() -> {
                            Long applied = jdbc.queryForObject("SELECT COALESCE(SUM(applied), 0) FROM ingest_counter",
                                    Long.class);
                            progress(on ? "rules on" : "rules off", applied == null ? 0 : applied, n, start);
                            return applied != null && applied >= n;
                        });
                        stored[mode] = n / ((System.nanoTime() - start) / 1e9);
                        if (on) {
                            Long last = jdbc.queryForObject("SELECT MAX(version_seq) FROM record", Long.class);
                            Awaitility.await().forever().pollInterval(Duration.ofMillis(200)).until(() ->
                                    jdbc.queryForList("SELECT position FROM supervision_position WHERE name = 'follow'",
                                            Long.class).stream().anyMatch(p -> p >= last));
                            evaluated = n / ((System.nanoTime() - start) / 1e9);
                            alerts = jdbc.queryForObject("SELECT COUNT(*) FROM alert", Long.class);
                        }
                        // until stored (off) or until every record's rules ran (on): the work each mode costs
                        cpu[mode] = Cpu.now(broker, source, db).minus(c0).per1000(n);
                        say("%s: %,d records stored at %,.0f records/s", on ? "rules on" : "supervision off", n,
                                stored[mode]);
                    }
                }
                drop(db);
                checkpoint();
            }
        } finally {
            for (String db : List.copyOf(dropAtEnd)) {
                drop(db);
            }
        }
        StringBuilder md = new StringBuilder(fmt("## Rules on vs supervision off (%,d approval cases, seed %d)%n%n", n,
                seed));
        md.append("| what | figure |\n|---|---|\n");
        md.append(fmt("| hub, hub.supervision.alerts.enabled=false | %,.0f records/s |%n", stored[0]));
        md.append(fmt("| CPU per 1 000 records, supervision off (until stored) | %s |%n", cpu[0]));
        md.append(fmt("| CPU per 1 000 records, every rule on (until every record's rules ran) | %s |%n", cpu[1]));
        md.append(fmt("| hub, every rule on: stored | %,.0f records/s (%.1f %% drop) |%n", stored[1],
                100 * (1 - stored[1] / stored[0])));
        md.append(fmt("| hub, every rule on: stored and every record's rules run | %,.0f records/s (%.1f %% drop; %,d"
                + " alerts) |%n", evaluated, 100 * (1 - evaluated / stored[0]), alerts));
        md.append(fmt("%nload average before %s, after %s; %d cores (%s), Java %s, -Xmx%d m%n", loadBefore,
                loadAverage(), Runtime.getRuntime().availableProcessors(), cpuModel(),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20));
        Path out = Path.of("target", "bench", "rules-rate.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        System.out.println("\n" + md);
    }

    private void latency(JdbcTemplate jdbc, AtomicLong visible, double rate) throws Exception {
        long from = visible.get();
        long n = (long) (rate * latencySeconds);
        long seqBefore = maxSeq(jdbc);
        List<Long> millis = new ArrayList<>();
        List<Long> toPersist = new ArrayList<>(); // read → the persist transaction started (applied_at)
        List<Long> inPersist = new ArrayList<>(); // applied_at → seen committed
        ScheduledExecutorService clock = Executors.newScheduledThreadPool(2);
        try (Connection con = DriverManager.getConnection(jdbcUrl(jdbc), Services.pgUser(), "")) {
            long start = System.nanoTime();
            clock.scheduleAtFixedRate(() -> visible.set(Math.min(from + n,
                    from + (long) ((System.nanoTime() - start) / 1e9 * rate))), 0, 10, TimeUnit.MILLISECONDS);
            AtomicLong seen = new AtomicLong(seqBefore);
            // A custom plan for every poll: a generic plan of "seq > ?" without a LIMIT (estimated a third of
            // the table) is a full scan and sort, seconds on millions of rows, and the reader would see each
            // commit seconds late and charge it to the hub.
            try (Statement set = con.createStatement()) {
                set.execute("SET plan_cache_mode = force_custom_plan");
            }
            PreparedStatement ps = con.prepareStatement("SELECT seq, fetched_at, applied_at FROM record_version"
                    + " WHERE seq > ? ORDER BY seq");
            Awaitility.await().forever().pollInterval(Duration.ofMillis(10)).until(() -> {
                ps.setLong(1, seen.get());
                try (ResultSet rs = ps.executeQuery()) {
                    Instant now = Instant.now();
                    while (rs.next()) {
                        seen.set(rs.getLong(1));
                        Instant fetched = rs.getObject(2, OffsetDateTime.class).toInstant();
                        Instant applied = rs.getObject(3, OffsetDateTime.class).toInstant();
                        millis.add(Duration.between(fetched, now).toMillis());
                        toPersist.add(Duration.between(fetched, applied).toMillis());
                        inPersist.add(Duration.between(applied, now).toMillis());
                    }
                }
                return millis.size() >= n;
            });
        } finally {
            clock.shutdownNow();
        }
        millis.sort(Long::compare);
        long p50 = millis.get(millis.size() / 2);
        long p99 = millis.get((int) Math.min(millis.size() - 1, Math.round(millis.size() * 0.99)));
        say("latency at %,.0f records/s: %,d records, p50 %d ms, p99 %d ms, max %d ms", rate, millis.size(), p50, p99,
                millis.get(millis.size() - 1));
        toPersist.sort(Long::compare);
        inPersist.sort(Long::compare);
        String split = fmt("read → persist began p50 %,d / p99 %,d ms; persist began → committed p50 %,d / p99 %,d ms",
                toPersist.get(toPersist.size() / 2), toPersist.get((int) (toPersist.size() * 0.99)),
                inPersist.get(inPersist.size() / 2), inPersist.get((int) (inPersist.size() * 0.99)));
        say("latency split: %s", split);
        notes.add("latency split at 80 % load: " + split);
        rows.put(fmt("read → committed at 80%% load (%,.0f records/s for %d s, polled every 1 s)", rate,
                latencySeconds), fmt("p50 %,d ms, p99 %,d ms", p50, p99) + " | ");
    }

    private void push(ConfigurableApplicationContext hub, JdbcTemplate jdbc, FakeProvince province) throws Exception {
        CamelContext camel = hub.getBean(CamelContext.class);
        camel.getRouteController().startRoute("province-push");
        // Warm up (first batches, connections), then measure a steady window.
        Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> province.acceptedRecords() >= 5_000);
        long a0 = acceptedInLedger(jdbc);
        long r0 = province.requests();
        long t0 = System.nanoTime();
        Awaitility.await().atMost(Duration.ofSeconds(pushSeconds + 30)).pollInterval(Duration.ofMillis(100))
                .until(() -> System.nanoTime() - t0 >= TimeUnit.SECONDS.toNanos(pushSeconds));
        long a1 = acceptedInLedger(jdbc);
        long r1 = province.requests();
        double seconds = (System.nanoTime() - t0) / 1e9;
        camel.getRouteController().stopRoute("province-push");
        double rate = (a1 - a0) / seconds;
        say("push: %,.0f records/s accepted (%.1f requests/s), %d answered 429", rate, (r1 - r0) / seconds,
                province.overQuota());
        rows.put("province push (50 ms answers, quota 20 requests/s × 500 = 10 000 records/s)",
                fmt("%,.0f records/s = %.2f of the ceiling (%.1f requests/s, %d over quota)", rate, rate / 10_000,
                        (r1 - r0) / seconds, province.overQuota()) + " | ");
    }

    private void feed(ConfigurableApplicationContext hub) throws Exception {
        String port = hub.getEnvironment().getProperty("local.server.port");
        HttpClient http = HttpClient.newHttpClient();
        String auth = "Basic " + Base64.getEncoder().encodeToString(("province:" + FEED_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        String after = null;
        long read = 0;
        long t0 = System.nanoTime();
        while (read < feedRecords) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/v1/feed?limit=1000" + (after == null ? "" : "&after=" + after)))
                    .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            String next = r.headers().firstValue("X-Next-Cursor").orElseThrow();
            int items = countItems(r.body());
            read += items;
            if (items < 1000) {
                break;
            }
            after = next;
        }
        double rate = read / ((System.nanoTime() - t0) / 1e9);
        say("feed: %,d records at %,.0f records/s", read, rate);
        rows.put("feed, one consumer, limit=1000", fmt("%,.0f records/s (%,d records)", rate, read) + " | ");
    }

    private static int countItems(String body) {
        int n = 0;
        for (int i = body.indexOf("\"recordId\":"); i >= 0; i = body.indexOf("\"recordId\":", i + 1)) {
            n++;
        }
        return n;
    }

    /** The hub of the benchmark: prod profile, this database, broker and source; province push off. */
    static Map<String, Object> hubProperties(String db, FakeApprovalsSystem source, StandaloneArtemis broker,
                                              FakeProvince province) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spring.datasource.url", db);
        p.put("spring.datasource.username", Services.pgUser());
        p.put("spring.datasource.password", "");
        p.put("spring.artemis.broker-url", broker.url());
        p.put("spring.artemis.user", "hub");
        p.put("spring.artemis.password", "hub-it");
        p.put("hub.personal-data.hmac-key", HMAC);
        p.put("hub.quarantine.key", "bench-quarantine-key-0123456789abcdef");
        p.put("hub.security.users[0].name", "bench-operator");
        p.put("hub.security.users[0].password", "bench-operator-password");
        p.put("hub.security.users[0].roles[0]", "OPERATOR");
        p.put("hub.security.users[0].roles[1]", "VIEWER");
        p.put("hub.feed.consumers[0].name", "province");
        p.put("hub.feed.consumers[0].password", FEED_PASSWORD);
        p.put("hub.feed.consumers[0].regions[0]", "*");
        p.put("hub.feed.consumers[0].domains[0]", "*");
        p.put("hub.province.enabled", "false"); // started by the push phase
        p.put("hub.province.base-url", province.baseUrl());
        p.put("hub.province.secret", PROVINCE_SECRET);
        p.put("hub.adapters.approvals.base-url", source.baseUrl());
        p.put("hub.adapters.approvals.api-key", API_KEY);
        p.put("hub.adapters.approvals.poll-interval", "1s");
        for (String other : List.of("housing-fund", "land-transfer", "procurement", "hub-feed", "trading", "penalties",
                "public-funds")) {
            p.put("hub.adapters." + other + ".enabled", "false");
        }
        p.put("logging.level.yingyan.adapters.approvals", "WARN");
        p.put("logging.level.yingyan.province", "WARN");
        return p;
    }

    // ---- measuring ----

    /** CPU used so far by this JVM, the broker's processes and the database's server processes. */
    private record Cpu(long jvmNanos, long brokerNanos, long dbNanos) {
        /** The JVM's CPU less what the generated source spent answering (it is not the hub's, nor the floor's). */
        static Cpu now(StandaloneArtemis broker, FakeApprovalsSystem source, String db) throws Exception {
            long jvm = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime()
                    - source.cpuNanos();
            return new Cpu(jvm, broker == null ? 0 : broker.cpu().toNanos(), backendsCpu(db));
        }

        Cpu minus(Cpu o) {
            return new Cpu(jvmNanos - o.jvmNanos, brokerNanos - o.brokerNanos, dbNanos - o.dbNanos);
        }

        String per1000(long n) {
            double k = n / 1000.0;
            return String.format(Locale.ROOT, "%.3f s JVM + %.3f s broker + %.3f s PostgreSQL backends",
                    jvmNanos / 1e9 / k, brokerNanos / 1e9 / k, dbNanos / 1e9 / k);
        }

        /** utime + stime of the server processes connected to this database (from /proc; 0 where unreadable). */
        static long backendsCpu(String db) throws Exception {
            String name = db.substring(db.lastIndexOf('/') + 1);
            long ticks = 0;
            try (Connection c = DriverManager.getConnection(db, Services.pgUser(), "");
                 PreparedStatement ps = c.prepareStatement("SELECT pid FROM pg_stat_activity WHERE datname = ?"
                         + " AND pid <> pg_backend_pid()")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Path stat = Path.of("/proc", String.valueOf(rs.getInt(1)), "stat");
                        if (Files.isReadable(stat)) {
                            String s = Files.readString(stat);
                            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                        }
                    }
                }
            }
            return ticks * 10_000_000L; // USER_HZ = 100
        }
    }

    /** The live heap (used right after a full collection), sampled every 5 s; the high-water since reset. */
    private static final class HeapWatch implements AutoCloseable {
        private final AtomicLong maxLive = new AtomicLong();
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heap-watch");
            t.setDaemon(true);
            return t;
        });

        HeapWatch() {
            timer.scheduleAtFixedRate(this::sample, 0, 5, TimeUnit.SECONDS);
        }

        private void sample() {
            System.gc();
            maxLive.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
        }

        void reset() {
            maxLive.set(0);
        }

        long maxLive() {
            sample();
            return maxLive.get();
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }

    // ---- databases ----

    private String freshDatabase(String prefix) throws Exception {
        String url = Services.freshPostgresDatabase(prefix);
        dropAtEnd.add(url);
        String name = url.substring(url.lastIndexOf('/') + 1);
        try (Connection c = DriverManager.getConnection(url, Services.pgUser(), "");
             Statement s = c.createStatement()) {
            // The server's default already; said here so the figures can never come from a relaxed setting.
            s.execute("ALTER DATABASE " + name + " SET synchronous_commit = on");
            try (ResultSet rs = s.executeQuery("SELECT current_setting('fsync'), current_setting('wal_sync_method'),"
                    + " version()")) {
                rs.next();
                String pg = "PostgreSQL " + rs.getString(3).split(" ")[1] + " (synchronous_commit=on, fsync="
                        + rs.getString(1) + ", wal_sync_method=" + rs.getString(2) + ")";
                if (!notes.contains(pg)) {
                    notes.add(pg);
                }
            }
        }
        Flyway.configure().dataSource(url, Services.pgUser(), "").locations("classpath:db/migration", "classpath:db/vendor/postgresql").load()
                .migrate();
        return url;
    }

    private void drop(String url) {
        if (!dropAtEnd.remove(url)) {
            return;
        }
        String name = url.substring(url.lastIndexOf('/') + 1);
        String admin = url.substring(0, url.lastIndexOf('/') + 1) + "postgres";
        try (Connection c = DriverManager.getConnection(admin, Services.pgUser(), "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (Exception e) {
            say("could not drop %s: %s", name, e.getMessage());
        }
    }

    /** ANALYZE of the phase's database, then a checkpoint (see where it is called). */
    private void maintain(String db) throws Exception {
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection(db, Services.pgUser(), ""); Statement s = c.createStatement()) {
            s.execute("ANALYZE");
        }
        checkpoint();
        notes.add(fmt("after the hub's load: ANALYZE and CHECKPOINT (%.0f s), as autovacuum would have done; this"
                + " server runs with autovacuum %s", (System.nanoTime() - t0) / 1e9, setting(db, "autovacuum")));
    }

    private static String setting(String db, String name) throws Exception {
        try (Connection c = DriverManager.getConnection(db, Services.pgUser(), "");
             PreparedStatement ps = c.prepareStatement("SELECT current_setting(?)")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** Flushes what the last phase wrote, so the next phase does not pay for its checkpoint. */
    private static void checkpoint() {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres",
                Services.pgUser(), ""); Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
        } catch (Exception e) {
            // not a superuser: the next phase pays for it, as any writer would
        }
    }

    static long count(String db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(db, Services.pgUser(), "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long maxSeq(JdbcTemplate jdbc) {
        Long n = jdbc.queryForObject("SELECT COALESCE(MAX(seq), 0) FROM record_version", Long.class);
        return n == null ? 0 : n;
    }

    private static long acceptedInLedger(JdbcTemplate jdbc) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM province_delivery WHERE state = 'ACCEPTED'", Long.class);
        return n == null ? 0 : n;
    }

    private static String jdbcUrl(JdbcTemplate jdbc) throws Exception {
        try (Connection c = jdbc.getDataSource().getConnection()) {
            return c.getMetaData().getURL();
        }
    }

    // ---- reporting ----

    private long lastProgress;

    private void progress(String what, long n, long of, long start) {
        long now = System.nanoTime();
        if (now - lastProgress > TimeUnit.SECONDS.toNanos(10)) {
            lastProgress = now;
            double s = (now - start) / 1e9;
            say("%s: %,d of %,d after %.0f s (%,.0f records/s)", what, n, of, s, n / Math.max(s, 0.001));
        }
    }

    private void writeSummary(String started, String loadBefore, String loadAfter) throws Exception {
        StringBuilder md = new StringBuilder();
        md.append("| what | figure | CPU per 1 000 records |\n|---|---|---|\n");
        rows.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        md.append('\n');
        md.append(fmt("Measured %s on %d cores (%s), %,d MB RAM, Java %s, -Xmx%d m; load average before %s,"
                        + " after %s. Seed %d.%n", started, Runtime.getRuntime().availableProcessors(), cpuModel(),
                ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize() >> 20,
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20, loadBefore, loadAfter,
                seed));
        for (String n : notes) {
            md.append("- ").append(n).append('\n');
        }
        Path out = Path.of("target", "bench", "summary.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        System.out.println("\n==== Yingyan performance benchmark ====\n" + md + "(written to " + out.toAbsolutePath()
                + ")\n");
    }

    static String loadAverage() throws Exception {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }

    private static String cpuModel() throws Exception {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
    }

    private static String between(String s, String a, String b) {
        int i = s.indexOf(a);
        int j = i < 0 ? -1 : s.indexOf(b, i);
        return i < 0 || j < 0 ? "?" : s.substring(i + a.length(), j).trim();
    }

    private static String fmt(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }

    private static void say(String f, Object... args) {
        System.out.println("[bench] " + fmt(f, args));
    }
}
