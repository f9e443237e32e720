package yingyan.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import yingyan.adapters.landtransfer.ExportGenerator;
import yingyan.testsupport.Hubs;

/**
 * Not a test (surefire runs *Test only): generates a big export (seeded) and runs the real hub on it —
 * the land-transfer route, reader, mapper, ingest route, persistent embedded broker, persist route and
 * an H2 file database, as the quick start runs them — then prints records/s and the heap high-water.
 * Run it with the heap the adapter must live with, from the project root (see adapters/land-transfer/README.md):
 *
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt
 * java -Xmx256m -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) \
 *      yingyan.bench.LandTransferBenchmark --parcels=1000000
 * </pre>
 *
 * Arguments: {@code --parcels=N} (default 1 000 000 ≈ 500 MB), {@code --seed=S} (default 42),
 * {@code --dir=PATH} (default a new temporary folder), {@code --keep} (keep the folder afterwards).
 */
public final class LandTransferBenchmark {
    private LandTransferBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            a.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        int parcels = Integer.parseInt(a.getOrDefault("parcels", "1000000"));
        long seed = Long.parseLong(a.getOrDefault("seed", "42"));
        Path dir = a.containsKey("dir") ? Files.createDirectories(Path.of(a.get("dir")))
                : Files.createTempDirectory("land-transfer-bench");
        Path drop = Files.createDirectories(dir.resolve("drop"));
        Path staged = Files.createDirectories(dir.resolve("staged")).resolve("CRGG_20260401_001.xml");

        long g0 = System.nanoTime();
        ExportGenerator gen = new ExportGenerator(parcels, 0, 0, seed);
        long transfers = gen.write(staged);
        long size = Files.size(staged);
        System.out.printf("generated %s: %,d Transfers, %,.1f MB in %.1f s%n", staged, transfers, size / 1e6,
                (System.nanoTime() - g0) / 1e9);

        String db = "jdbc:h2:file:" + dir.resolve("db").resolve("yingyan").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        try (ConfigurableApplicationContext hub = Hubs.start(Map.of(
                "spring.datasource.url", db,
                "spring.artemis.embedded.persistent", "true",
                "spring.artemis.embedded.data-directory", dir.resolve("artemis").toAbsolutePath(),
                "hub.adapters.land-transfer.enabled", "true",
                "hub.adapters.land-transfer.drop-dir", drop.toAbsolutePath(),
                "hub.adapters.land-transfer.poll-interval", "200ms"))) {
            JdbcTemplate jdbc = hub.getBean(JdbcTemplate.class);
            System.gc();
            long idle = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            HeapWatch heap = HeapWatch.start();

            long t0 = System.nanoTime();
            Files.move(staged, drop.resolve(staged.getFileName()), StandardCopyOption.ATOMIC_MOVE);
            Files.createFile(drop.resolve(staged.getFileName() + ".ok"));
            org.awaitility.Awaitility.await().forever().pollInterval(java.time.Duration.ofMillis(200))
                    .until(() -> count(jdbc, "SELECT COUNT(*) FROM processed_file") > 0);
            long t1 = System.nanoTime();
            org.awaitility.Awaitility.await().forever().pollInterval(java.time.Duration.ofMillis(500))
                    .until(() -> count(jdbc, "SELECT COUNT(*) FROM record") >= parcels);
            long stored = count(jdbc, "SELECT COUNT(*) FROM record");
            long t2 = System.nanoTime();
            heap.stop();

            double adapter = (t1 - t0) / 1e9;
            double endToEnd = (t2 - t0) / 1e9;
            System.out.printf("%nland-transfer benchmark, -Xmx%d MB, %d CPUs%n",
                    Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
            System.out.printf("  export                 %,.1f MB, %,d Transfers (%,d parcels)%n", size / 1e6, transfers,
                    parcels);
            System.out.printf("  read + queued (adapter) %,.1f s  → %,.0f records/s (%,.1f MB/s)%n", adapter,
                    transfers / adapter, size / 1e6 / adapter);
            System.out.printf("  stored in H2 (end to end) %,.1f s → %,.0f records/s (%,d records)%n", endToEnd,
                    stored / endToEnd, stored);
            System.out.printf("  heap high-water: %,d MB live (after a full GC, measured every 10 s); %,d MB used"
                    + " (sampled every 20 ms, garbage included); %,d MB live with the hub idle before the file%n",
                    heap.maxLive.get() >> 20, heap.maxUsed.get() >> 20, idle >> 20);
            long gcs = 0;
            long gcMs = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                gcs += gc.getCollectionCount();
                gcMs += gc.getCollectionTime();
            }
            System.out.printf("  GC: %,d collections, %,d ms%n", gcs, gcMs);
        } finally {
            if (!a.containsKey("keep")) {
                try (Stream<Path> all = Files.walk(dir)) {
                    all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            } else {
                System.out.println("kept " + dir);
            }
        }
        System.exit(0);
    }

    private static long count(JdbcTemplate jdbc, String sql) {
        Long n = jdbc.queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }

    /**
     * Samples heap use every 20 ms (garbage included: G1 lets a 256 MB heap fill before collecting), and
     * every 10 s forces a full collection and reads what is still in use: the live-set high-water, i.e.
     * what the hub really holds at its busiest. The forced collections cost a few per cent of throughput.
     */
    /** Samples heap use every 20 ms and the live heap (after a full GC) every 10 s. */
    private static final class HeapWatch {
        final AtomicLong maxUsed = new AtomicLong();
        final AtomicLong maxLive = new AtomicLong();
        private final java.util.concurrent.ScheduledExecutorService timer =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "heap-watch");
                    t.setDaemon(true);
                    return t;
                });

        static HeapWatch start() {
            HeapWatch w = new HeapWatch();
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            w.timer.scheduleAtFixedRate(() -> w.maxUsed.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(),
                    Math::max), 0, 20, java.util.concurrent.TimeUnit.MILLISECONDS);
            w.timer.scheduleAtFixedRate(() -> {
                System.gc();
                w.maxLive.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
            }, 0, 10, java.util.concurrent.TimeUnit.SECONDS);
            return w;
        }

        void stop() throws InterruptedException {
            timer.shutdownNow();
            timer.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
