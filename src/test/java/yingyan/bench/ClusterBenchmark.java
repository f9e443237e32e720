package yingyan.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import yingyan.testsupport.ChildHub;
import yingyan.testsupport.ClusterView;
import yingyan.testsupport.FakeApprovalsSystem;
import yingyan.testsupport.FakeProvince;
import yingyan.testsupport.Services;
import yingyan.testsupport.StandaloneArtemis;

/**
 * The clustering overhead (docs/performance.md, docs/cluster.md): the backlog benchmark's hub rate with one
 * node beside two, on this machine. {@code mvn -Pbench verify -Dit.test=ClusterBenchmark}. Each run: a fresh
 * PostgreSQL database (synchronous_commit=on), a fresh standalone Artemis broker, the hub as production runs it
 * (profile {@code prod}, {@link PerformanceBenchmark#hubProperties}) in child JVMs ({@code -Xmx512m}) started
 * side by side, the seeded approvals backlog ({@link ApprovalsBacklog}) released at once; timed from the
 * release until every record is applied (ingest_counter, whichever node applied it):
 * <ul>
 *   <li>one node, {@code hub.cluster.enabled=false}: the hub as shipped;</li>
 *   <li>two nodes, {@code hub.cluster.enabled=true} (settings as shipped): one node leads the approvals source
 *       (the clock starts once the cluster view shows it led), both consume the persist queue.</li>
 * </ul>
 * The two share this machine's 2 cores, so two nodes are not expected to be faster: the figure is what the
 * election, the heartbeats and the second JVM cost. {@code bench.cluster-records} (default 200 000) and
 * {@code bench.cluster-rounds} (default 1; rounds alternate one node, two nodes) set the volume;
 * {@code bench.cluster-nodes} (default {@code 1,2}) which sizes run.
 */
class ClusterBenchmark {
    private final long records = Long.getLong("bench.cluster-records", 200_000);
    private final int rounds = Integer.getInteger("bench.cluster-rounds", 1);
    private final long seed = Long.getLong("bench.seed", 42);
    private final List<Integer> sizes = java.util.Arrays.stream(System.getProperty("bench.cluster-nodes", "1,2")
            .split(",")).map(String::trim).map(Integer::valueOf).toList();

    @TempDir
    Path tmp;

    /** One run's figures. */
    private record Run(int nodes, double seconds, Duration hubCpu, Duration brokerCpu) {
        double rate(long records) {
            return records / seconds;
        }
    }

    @Test
    void oneNodeBesideTwo() throws Exception {
        String started = OffsetDateTime.now(ZoneId.of("Asia/Shanghai")).truncatedTo(ChronoUnit.SECONDS).toString();
        String loadBefore = PerformanceBenchmark.loadAverage();
        ApprovalsBacklog backlog = new ApprovalsBacklog(seed);
        AtomicLong visible = new AtomicLong();
        Map<Integer, List<Run>> runs = new LinkedHashMap<>(Map.of(1, new ArrayList<>(), 2, new ArrayList<>()));
        try (FakeApprovalsSystem source = FakeApprovalsSystem.paging(PerformanceBenchmark.API_KEY,
                (since, page, size) -> backlog.page(since, page, size, visible.get()));
             FakeProvince province = FakeProvince.countingOnly(PerformanceBenchmark.PROVINCE_SECRET)) {
            for (int round = 1; round <= rounds; round++) {
                for (int nodes : sizes) {
                    Run r = run(nodes, round, source, province, visible);
                    runs.get(nodes).add(r);
                    say("round %d, %d node(s): %,d records in %.1f s = %,.0f records/s; CPU %s hub JVMs + %s broker",
                            round, nodes, records, r.seconds(), r.rate(records), per1000(r.hubCpu()),
                            per1000(r.brokerCpu()));
                }
            }
        }
        if (runs.get(1).isEmpty() || runs.get(2).isEmpty()) {
            return; // only one of the two sizes asked for (bench.cluster-nodes): its lines above are the figures
        }
        double one = best(runs.get(1));
        double two = best(runs.get(2));
        StringBuilder md = new StringBuilder("| what | records/s (best of " + rounds + ") | each run | CPU per 1 000"
                + " records (hub JVMs + broker) |\n|---|---|---|---|\n");
        row(md, "one node, cluster off", runs.get(1), one);
        row(md, "two nodes, cluster on (one leads the source, both persist)", runs.get(2), two);
        md.append(fmt("| two nodes / one node | %.2f (overhead %.1f %%) | | |%n", two / one, (1 - two / one) * 100));
        md.append(fmt("%nMeasured %s, %,d records per run, %d core(s), load average before %s, after %s. Seed %d.%n",
                started, records, Runtime.getRuntime().availableProcessors(), loadBefore,
                PerformanceBenchmark.loadAverage(), seed));
        Path out = Path.of("target", "bench", "cluster.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        System.out.println("\n==== Yingyan cluster benchmark ====\n" + md + "(written to " + out.toAbsolutePath() + ")\n");
    }

    private Run run(int nodes, int round, FakeApprovalsSystem source, FakeProvince province, AtomicLong visible)
            throws Exception {
        String db = Services.freshPostgresDatabase("bench_cluster");
        try {
            try (Connection c = DriverManager.getConnection(db, Services.pgUser(), "");
                 Statement s = c.createStatement()) {
                s.execute("ALTER DATABASE " + db.substring(db.lastIndexOf('/') + 1) + " SET synchronous_commit = on");
            }
            visible.set(0);
            Path dir = Files.createDirectories(tmp.resolve("n" + nodes + "-r" + round));
            try (StandaloneArtemis broker = StandaloneArtemis.create(dir).start()) {
                Map<String, Object> props = PerformanceBenchmark.hubProperties(db, source, broker, province);
                props.put("spring.profiles.active", "prod");
                props.put("hub.cluster.enabled", Boolean.toString(nodes > 1));
                // testsupport.Viewer's login, to read GET /api/v1/cluster
                props.put("hub.security.users[1].name", "viewer");
                props.put("hub.security.users[1].password", "viewer-secret");
                props.put("hub.security.users[1].roles[0]", "VIEWER");
                List<Map<String, Object>> each = new ArrayList<>();
                for (int i = 0; i < nodes; i++) {
                    Map<String, Object> p = new LinkedHashMap<>(props);
                    if (nodes > 1) {
                        p.put("hub.cluster.node-name", Character.toString('a' + i));
                    }
                    each.add(p);
                }
                List<ChildHub> hubs = ChildHub.startAll(ChildHub.logDir(getClass()), List.of("-Xmx512m"), each);
                try {
                    if (nodes > 1) {
                        hubs.get(0).await("the approvals source led by one node", Duration.ofSeconds(90),
                                () -> ClusterView.of(hubs.get(0).baseUrl()).leaders()
                                        .getOrDefault("adapter:approvals", List.of()).size() == 1,
                                Duration.ofMillis(250));
                    }
                    Duration cpu0 = cpu(hubs);
                    Duration broker0 = broker.cpu();
                    long t0 = System.nanoTime();
                    visible.set(records);
                    Awaitility.await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(200))
                            .until(() -> applied(db) >= records);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    Run r = new Run(nodes, seconds, cpu(hubs).minus(cpu0), broker.cpu().minus(broker0));
                    assertThat(PerformanceBenchmark.count(db, "SELECT COUNT(*) FROM record")).isEqualTo(records);
                    return r;
                } finally {
                    hubs.forEach(ChildHub::kill);
                }
            }
        } finally {
            Services.dropPostgresDatabase(db);
        }
    }

    private static Duration cpu(List<ChildHub> hubs) {
        return hubs.stream().map(ChildHub::cpu).reduce(Duration.ZERO, Duration::plus);
    }

    private static long applied(String db) throws Exception {
        return PerformanceBenchmark.count(db, "SELECT COALESCE(SUM(applied), 0) FROM ingest_counter");
    }

    private double best(List<Run> runs) {
        return runs.stream().mapToDouble(r -> r.rate(records)).max().orElse(0);
    }

    private void row(StringBuilder md, String what, List<Run> runs, double best) {
        md.append(fmt("| %s | %,.0f | %s | %s |%n", what, best,
                String.join(", ", runs.stream().map(r -> fmt("%,.0f", r.rate(records))).toList()),
                String.join(", ", runs.stream().map(r -> per1000(r.hubCpu()) + " + " + per1000(r.brokerCpu()))
                        .toList())));
    }

    private String per1000(Duration cpu) {
        return fmt("%.3f s", cpu.toNanos() / 1e9 / (records / 1000.0));
    }

    private static String fmt(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }

    private static void say(String f, Object... args) {
        System.out.println("[bench] " + fmt(f, args));
    }
}
