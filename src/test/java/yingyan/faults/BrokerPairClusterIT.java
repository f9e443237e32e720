package yingyan.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import yingyan.adapters.landtransfer.LandTransferExports;
import yingyan.feed.FeedFixtures;
import yingyan.testsupport.ArtemisPair;
import yingyan.testsupport.ChildHub;
import yingyan.testsupport.FakeApprovalsSystem;
import yingyan.testsupport.FakeApprovalsSystem.Case;
import yingyan.testsupport.FaultDb;
import yingyan.testsupport.NothingLost;
import yingyan.testsupport.NothingLost.Produced;
import yingyan.testsupport.Services;
import yingyan.testsupport.Ticker;

/**
 * Broker failover of docs/cluster.md, with real processes: a hub (child JVM, PostgreSQL) on the failover URL
 * of a standalone Artemis primary/backup pair (replication, the committed conf/cluster/broker-*.xml). While
 * the approvals system changes every 100 ms and a land-transfer export is read, the primary is killed with
 * kill -9: the backup becomes active and the hub, by its URL alone, stores again through it. The primary is
 * started again and takes back over (failback), and the hub follows once more. In the end every record is
 * stored once at its newest version, each version once, and a feed consumer that paged all along read every
 * version exactly once in the order applied (no gap, no repeat).
 */
@Tag("cluster")
class BrokerPairClusterIT {
    static final DateTimeFormatter T = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    static final LocalDateTime T0 = LocalDateTime.of(2026, 3, 1, 9, 0, 0);
    static final String FILE = "CRGG_20260323_001.xml";

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void liveBrokerKilledMidFlowAndStartedAgain_theHubFollowsThePairAndNothingIsLostOrDoubled() throws Exception {
        String url = Services.freshPostgresDatabase("cluster_broker");
        try {
            failOverAndBack(url, FaultDb.jdbc(url));
        } finally {
            Services.dropPostgresDatabase(url);
        }
    }

    private void failOverAndBack(String url, JdbcTemplate db) throws Exception {
        Path drop = Files.createDirectories(dir.resolve("drop"));
        LandTransferExports export = new LandTransferExports("BP", 1_500);
        try (ArtemisPair pair = ArtemisPair.create(dir).start();
             FakeApprovalsSystem approvals = new FakeApprovalsSystem("test-approvals-key");
             ChildHub hub = ChildHub.start(ChildHub.logDir(getClass()), hub(url, pair, approvals, drop))) {
            FeedFixtures.Consumer feed = new FeedFixtures.Consumer(hub.baseUrl(), "province", "province-secret", 100);
            try (Ticker load = approvalsChanging(approvals);
                 Ticker reader = Ticker.every(Duration.ofMillis(300), i -> feed.drain(null))) {
                flowUnderWay(hub, db, export, drop, FILE);

                // kill -9 of the active broker mid-flow.
                long kill = System.nanoTime();
                pair.killPrimary();
                String firstAfterKill = "approvals:" + caseNo(load.ticks() + 1);
                pair.awaitBackupActive();
                Duration backupLive = Duration.ofNanos(System.nanoTime() - kill);
                hub.await("the hub storing through the backup", Duration.ofSeconds(120),
                        () -> stored(db, firstAfterKill));
                Duration storingAgain = Duration.ofNanos(System.nanoTime() - kill);
                assertThat(pair.primaryActive()).as("stored while the primary was still down").isFalse();
                assertThat(count(db, "land-transfer")).as("the export was still under way at the kill")
                        .isLessThanOrEqualTo(export.produced().size());

                // The primary again: it takes back over, the hub follows.
                Duration failback = pair.restartPrimary();
                String firstAfterFailback = "approvals:" + caseNo(load.ticks() + 1);
                long back = System.nanoTime();
                hub.await("the hub storing through the primary again", Duration.ofSeconds(120),
                        () -> stored(db, firstAfterFailback));
                Duration storingAfterFailback = Duration.ofNanos(System.nanoTime() - back);
                Map<String, Produced> produced = stopAndSettle(load, reader, feed, hub, db, approvals, export, drop, FILE,
                        null);

                NothingLost.Figures f = NothingLost.check("broker pair: primary kill -9 mid-flow, failover, failback",
                        db, List.of("approvals", "land-transfer"), produced, null);
                assertThat(FaultDb.count(db, "SELECT COUNT(*) FROM record_version WHERE adapter = 'land-transfer'"))
                        .as("each Transfer one version").isEqualTo(export.versions());
                int read = feed.assertReadEveryAppliedVersionOnceInOrder(db);
                System.out.printf("CLUSTER-FIGURES broker pair: backup live after %.1f s, hub storing again %.1f s"
                                + " after the kill, failback %.1f s (storing through the primary %.1f s later),"
                                + " backup restarts %d;"
                                + " produced=%d stored=%d lost=%d doubled=%d; feed %d versions read = applied, in order%n",
                        secs(backupLive), secs(storingAgain), secs(failback), secs(storingAfterFailback),
                        pair.backupRestarts(), f.produced(), f.stored(), f.lost(), f.duplicatedVersions(), read);
            }
        }
    }

    /** The hub on PostgreSQL and the pair's failover URL, approvals polled every 200 ms, the drop folder. */
    static Map<String, Object> hub(String url, ArtemisPair pair, FakeApprovalsSystem approvals, Path drop) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spring.datasource.url", url);
        p.put("spring.datasource.username", Services.pgUser());
        p.put("spring.datasource.password", "");
        p.put("spring.artemis.mode", "native");
        p.put("spring.artemis.embedded.enabled", "false");
        p.put("spring.artemis.broker-url", pair.url());
        p.put("spring.artemis.user", pair.user());
        p.put("spring.artemis.password", pair.password());
        p.put("hub.adapters.approvals.enabled", "true");
        p.put("hub.adapters.approvals.base-url", approvals.baseUrl());
        p.put("hub.adapters.approvals.poll-interval", "200ms");
        p.put("hub.adapters.approvals.page-size", "100");
        p.put("hub.adapters.land-transfer.enabled", "true");
        p.put("hub.adapters.land-transfer.drop-dir", drop);
        p.put("hub.adapters.land-transfer.poll-interval", "200ms");
        p.put("hub.adapters.land-transfer.chunk-size", "50");
        return p;
    }

    /** The approvals system changing: every 100 ms (one source second) a new case, every third an earlier one completed. */
    static Ticker approvalsChanging(FakeApprovalsSystem approvals) {
        return Ticker.every(Duration.ofMillis(100), i -> {
            String now = T0.plusSeconds(i).format(T);
            approvals.put(new Case(caseNo(i), now, "在办"));
            if (i % 3 == 2) {
                approvals.put(new Case(caseNo(i / 3), now, "办结"));
            }
        });
    }

    /** Waits for approvals records flowing, drops the export as {@code file} and waits until it is being stored. */
    static void flowUnderWay(ChildHub hub, JdbcTemplate db, LandTransferExports export, Path drop, String file)
            throws java.io.IOException {
        hub.await("approvals records flowing", Duration.ofSeconds(120), () -> count(db, "approvals") >= 30);
        export.drop(drop, file);
        hub.await("the export being read and stored", Duration.ofSeconds(120),
                () -> count(db, "land-transfer") >= 100);
    }

    /**
     * Stops the approvals load, waits until the export is done and everything produced is stored (and, with a
     * province, pushed), then stops the feed reader and lets it catch up. Returns what was produced.
     */
    static Map<String, Produced> stopAndSettle(Ticker load, Ticker reader, FeedFixtures.Consumer feed, ChildHub hub,
                                               JdbcTemplate db, FakeApprovalsSystem approvals,
                                               LandTransferExports export, Path drop, String file,
                                               yingyan.testsupport.FakeProvince province) throws Exception {
        load.stop();
        Map<String, Produced> produced = new LinkedHashMap<>(export.produced());
        produced.putAll(approvals.produced());
        hub.await("the export done", Duration.ofSeconds(150), () -> Files.exists(drop.resolve("done").resolve(file)));
        NothingLost.awaitSettled(db, produced, province, Duration.ofSeconds(120));
        reader.stop();
        feed.drain(null);
        return produced;
    }

    static String caseNo(int i) {
        return String.format("BP-%05d", i);
    }

    static boolean stored(JdbcTemplate db, String recordId) {
        return FaultDb.count(db, "SELECT COUNT(*) FROM record WHERE record_id = ?", recordId) > 0;
    }

    static long count(JdbcTemplate db, String adapter) {
        return FaultDb.count(db, "SELECT COUNT(*) FROM record WHERE adapter = ?", adapter);
    }

    private static double secs(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
