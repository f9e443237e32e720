package yingyan.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static yingyan.faults.BrokerPairClusterIT.caseNo;
import static yingyan.faults.BrokerPairClusterIT.stored;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import yingyan.adapters.housingfund.FundCentre;
import yingyan.adapters.hubfeed.CountyFeed;
import yingyan.adapters.landtransfer.LandTransferExports;
import yingyan.adapters.penalties.PenaltiesBureau;
import yingyan.adapters.procurement.ProcurementOffice;
import yingyan.adapters.trading.TradingCentre;
import yingyan.feed.FeedFixtures;
import yingyan.testsupport.ArtemisPair;
import yingyan.testsupport.ChildHub;
import yingyan.testsupport.ClusterView;
import yingyan.testsupport.FakeApprovalsSystem;
import yingyan.testsupport.FakeProvince;
import yingyan.testsupport.FaultDb;
import yingyan.testsupport.NothingLost;
import yingyan.testsupport.NothingLost.Produced;
import yingyan.testsupport.Services;
import yingyan.testsupport.Ticker;
import yingyan.testsupport.TreasuryQueue;

/**
 * The cluster proof of docs/cluster.md with real processes: two hub nodes (child JVMs) on one fresh PostgreSQL
 * database and the Artemis primary/backup pair, the approvals system changing every 100 ms, a 1 500-parcel
 * land-transfer export in the shared drop folder, the province taking pushes, and every other adapter fed from a
 * stand-in started once in this JVM, both nodes pointed at it: procurement (GBK exports in its drop folder,
 * {@link ProcurementOffice}), hub-feed (a county's feed, {@link CountyFeed}), trading (OAuth2 centre,
 * {@link TradingCentre}), penalties (SOAP service, {@link PenaltiesBureau}), housing-fund (a fresh MariaDB schema,
 * {@link FundCentre}) and public-funds (a RabbitMQ queue, {@link TreasuryQueue}): {@link #BEFORE} records each
 * before the kill, and right after it {@link #CHANGED} of them changed and {@link #CHANGED} new ones. Mid-flow:
 * <ol>
 *   <li>kill -9 of the node leading the most singleton jobs; the takeover of each job it led is timed from the
 *       survivor's {@code GET /api/v1/cluster} (at most 30 s each), and the survivor must store what the
 *       approvals system produced after the kill;</li>
 *   <li>kill -9 of the active (primary) broker; the survivor goes on storing through the backup;</li>
 *   <li>the killed node and the primary started again; the flow goes on.</li>
 * </ol>
 * Every fed job (each adapter's role and the province push, {@link #FED_JOBS}) is led by exactly one node before the
 * kill and by the survivor alone after it. Then, with the fault suite's count ({@link NothingLost}, over every
 * adapter): every record once at its newest version, each
 * version applied once (lost 0, doubled 0); each newest version accepted by the province exactly once (none
 * under two keys: no batch sent by both nodes); the approvals system never answering two requests at once
 * (each answer takes {@link #SOURCE_LATENCY_MS}, so two nodes polling it together would overlap); the export's
 * Transfers one version each; every other adapter's records and versions exactly the count its source produced;
 * and the feed, paged all along on the surviving node and read again from the
 * start on the restarted one, giving every applied version once in applied order (no gap, no repeat).
 *
 * <p>Needs the leader election of docs/cluster.md: it runs only where a node answers {@code GET /api/v1/cluster}
 * with 200, and reports itself skipped with that reason otherwise.
 */
@Tag("cluster")
class TwoNodeClusterIT {
    static final String FILE = "CRGG_20260324_001.xml";
    /** Each answer of the approvals system takes this long: long enough for two pollers at once to overlap. */
    static final long SOURCE_LATENCY_MS = 40;
    /** The jobs the test feeds; each must have exactly one leader before the kill. */
    static final List<String> FED_JOBS = List.of("adapter:approvals", "adapter:land-transfer", "adapter:procurement",
            "adapter:hub-feed", "adapter:trading", "adapter:penalties", "adapter:housing-fund", "adapter:public-funds",
            "province-push");
    /** The adapters whose records the test produces (hub-feed relays the county's approvals: adapter approvals). */
    static final List<String> ADAPTERS = List.of("approvals", "land-transfer", "procurement", "trading", "penalties",
            "housing-fund", "public-funds");
    /** Records each of the other sources produces before the kill, and of those, changed after it. */
    static final int BEFORE = 100;
    static final int CHANGED = 30;
    /** The contract's bound on a takeover (docs/contracts/deployment.md). */
    static final Duration TAKEOVER_BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void busiestNodeThenLiveBrokerKilledMidFlowAndBothRestarted_nothingLostDoubledPolledOrPushedTwice()
            throws Exception {
        String url = Services.freshPostgresDatabase("cluster_nodes");
        try {
            killAndRestart(url, FaultDb.jdbc(url));
        } finally {
            Services.dropPostgresDatabase(url);
        }
    }

    private void killAndRestart(String url, JdbcTemplate db) throws Exception {
        Path drop = Files.createDirectories(dir.resolve("drop"));
        Path logs = ChildHub.logDir(getClass());
        LandTransferExports export = new LandTransferExports("TN", 1_500);
        List<ChildHub> started = new ArrayList<>();
        try (ArtemisPair pair = ArtemisPair.create(dir).start();
             FakeApprovalsSystem approvals = new FakeApprovalsSystem("test-approvals-key");
             FakeProvince province = new FakeProvince(HubKillFaultIT.SECRET);
             CountyFeed county = new CountyFeed("SG-CL");
             TradingCentre trading = new TradingCentre();
             PenaltiesBureau bureau = new PenaltiesBureau();
             FundCentre fund = FundCentre.create("cluster_nodes_hf");
             TreasuryQueue treasury = new TreasuryQueue("cluster")) {
            approvals.delay(SOURCE_LATENCY_MS);
            ProcurementOffice office = new ProcurementOffice(dir.resolve("procurement-drop"), "WFCG-CL");
            Map<String, Object> props = nodes(url, pair, approvals, drop, province);
            // Every other adapter fed from a stand-in started once here, both nodes pointed at it.
            props.putAll(office.hubSettings());
            props.putAll(county.hubSettings());
            props.putAll(trading.hubSettings());
            props.putAll(bureau.hubSettings());
            props.putAll(HubKillFaultIT.housingFund(fund));
            props.putAll(treasury.hubSettings(treasury.host(), treasury.port()));
            office.export("cluster-1", 0, BEFORE, 0, 0);
            county.add(0, BEFORE);
            trading.announce(0, BEFORE);
            bureau.file(0, BEFORE);
            fund.applyForWithdrawals("CL", 0, BEFORE, FundCentre.now().minusSeconds(30));
            for (int i = 0; i < BEFORE; i++) {
                treasury.pay("CL", i, false);
            }
            started.addAll(ChildHub.startAll(logs, ChildHub.SMALL_JVM, List.of(node(props, "a"), node(props, "b"))));
            Map<String, ChildHub> byName = new LinkedHashMap<>(Map.of("a", started.get(0), "b", started.get(1)));
            int api = byName.get("a").status("/api/v1/cluster");
            Assumptions.assumeTrue(api == 200, "GET /api/v1/cluster answered " + api + ": this hub has no leader"
                    + " election yet (issue 14, docs/cluster.md), and two nodes without it would both poll and push");

            ChildHub a = byName.get("a");
            a.await("both nodes UP and every fed job led by exactly one of them", Duration.ofSeconds(90), () -> {
                ClusterView v = ClusterView.of(a.baseUrl());
                Map<String, List<String>> leaders = v.leaders();
                return v.nodes().stream().filter(ClusterView.Node::up).count() == 2
                        && FED_JOBS.stream().allMatch(j -> leaders.getOrDefault(j, List.of()).size() == 1);
            }, Duration.ofMillis(250));
            ClusterView before = ClusterView.of(a.baseUrl());
            String victimName = before.busiest().name();
            String survivorName = victimName.equals("a") ? "b" : "a";
            ChildHub victim = byName.get(victimName);
            ChildHub survivor = byName.get(survivorName);
            List<String> victimJobs = before.jobsOf(victimName);
            System.out.println("cluster before the kill: " + before);

            FeedFixtures.Consumer feed = new FeedFixtures.Consumer(survivor.baseUrl(), "province", "province-secret", 100);
            try (Ticker load = BrokerPairClusterIT.approvalsChanging(approvals);
                 Ticker reader = Ticker.every(Duration.ofMillis(300), i -> feed.drain(null))) {
                BrokerPairClusterIT.flowUnderWay(survivor, db, export, drop, FILE);

                Map<String, Map<String, Produced>> sources = new LinkedHashMap<>();
                sources.put("procurement", office.produced());
                sources.put("hub-feed", county.produced());
                sources.put("trading", trading.produced());
                sources.put("penalties", bureau.produced());
                sources.put("housing-fund", fund.produced());
                sources.put("public-funds", treasury.produced());
                Map<String, Integer> progress = new LinkedHashMap<>();
                try {
                    survivor.await("every other source's records flowing before the kill", Duration.ofSeconds(120),
                            () -> {
                                sources.forEach((src, p) -> progress.put(src, NothingLost.newestStored(db, p)));
                                return progress.values().stream().allMatch(n -> n >= 1);
                            }, Duration.ofMillis(500));
                } catch (AssertionError e) {
                    throw new AssertionError("stored per source: " + progress + "\n" + e.getMessage(), e);
                }
                System.out.println("stored per source before the kill (of " + BEFORE + " each): " + progress);

                // 1. kill -9 of the node leading the most jobs; each job's takeover timed. Meanwhile every other
                // source changes records and gets new ones, which only the node taking over can read.
                long kill = System.nanoTime();
                victim.kill();
                office.export("cluster-2", BEFORE, CHANGED, 0, CHANGED);
                county.change(0, CHANGED);
                county.add(BEFORE, CHANGED);
                trading.decide(0, CHANGED);
                trading.announce(BEFORE, CHANGED);
                bureau.notifyParties(0, CHANGED);
                bureau.file(BEFORE, CHANGED);
                assertThat(fund.payWithdrawals("CL", 0, CHANGED, FundCentre.now())).isEqualTo(CHANGED);
                fund.applyForWithdrawals("CL", BEFORE, CHANGED, FundCentre.now());
                for (int i = BEFORE; i < BEFORE + CHANGED; i++) {
                    treasury.pay("CL", i, true);
                }
                String firstAfterKill = "approvals:" + caseNo(load.ticks() + 1);
                Map<String, Duration> takeover = new LinkedHashMap<>();
                Duration[] lost = {null};
                survivor.await("node " + survivorName + " leading every job node " + victimName + " led "
                        + victimJobs, Duration.ofSeconds(90), () -> {
                    ClusterView v = ClusterView.of(survivor.baseUrl());
                    Duration now = since(kill);
                    for (String job : victimJobs) {
                        if (!takeover.containsKey(job) && v.jobsOf(survivorName).contains(job)) {
                            takeover.put(job, now);
                        }
                    }
                    if (lost[0] == null && "LOST".equals(v.stateOf(victimName))) {
                        lost[0] = now;
                    }
                    return takeover.size() == victimJobs.size();
                }, Duration.ofMillis(100));
                survivor.await("node " + survivorName + " storing what the approvals system produced after the kill",
                        Duration.ofSeconds(90), () -> stored(db, firstAfterKill));
                Duration nodeStoring = since(kill);
                if (lost[0] == null) {
                    survivor.await("node " + victimName + " shown LOST", Duration.ofSeconds(60),
                            () -> "LOST".equals(ClusterView.of(survivor.baseUrl()).stateOf(victimName)),
                            Duration.ofMillis(100));
                    lost[0] = since(kill);
                }
                ClusterView afterKill = ClusterView.of(survivor.baseUrl());
                System.out.println("cluster after the kill: " + afterKill);
                assertThat(FED_JOBS).as("every fed job led by node %s alone after the kill", survivorName)
                        .allSatisfy(j -> assertThat(afterKill.leaders().get(j)).containsExactly(survivorName));

                // 2. kill -9 of the live broker; the survivor stores through the backup.
                long brokerKill = System.nanoTime();
                pair.killPrimary();
                String firstAfterBrokerKill = "approvals:" + caseNo(load.ticks() + 1);
                pair.awaitBackupActive();
                Duration backupLive = since(brokerKill);
                survivor.await("node " + survivorName + " storing through the backup", Duration.ofSeconds(120),
                        () -> stored(db, firstAfterBrokerKill));
                Duration brokerStoring = since(brokerKill);
                assertThat(pair.primaryActive()).as("stored while the primary was still down").isFalse();

                // 3. both started again: the killed node and the primary (failback).
                long restart = System.nanoTime();
                ChildHub again = ChildHub.launch(logs, ChildHub.SMALL_JVM, node(props, victimName));
                started.add(again);
                Duration failback = pair.restartPrimary();
                again.awaitUp();
                survivor.await("node " + victimName + " UP again in the cluster", Duration.ofSeconds(90),
                        () -> ClusterView.of(survivor.baseUrl()).stateOf(victimName).equals("UP"));
                Duration rejoined = since(restart);
                String firstAfterRestart = "approvals:" + caseNo(load.ticks() + 1);
                survivor.await("the flow going on after both restarts", Duration.ofSeconds(90),
                        () -> stored(db, firstAfterRestart));
                System.out.println("cluster after the restarts: " + ClusterView.of(again.baseUrl()));
                Map<String, Produced> fed = others(office, county, trading, bureau, fund, treasury);
                NothingLost.awaitSettled(db, fed, null, Duration.ofSeconds(120));
                Map<String, Produced> produced = BrokerPairClusterIT.stopAndSettle(load, reader, feed, survivor, db,
                        approvals, export, drop, FILE, province);
                produced.putAll(fed);
                NothingLost.awaitSettled(db, produced, province, Duration.ofSeconds(60));

                NothingLost.Figures f = NothingLost.check("two nodes: the busiest node kill -9, then the live broker,"
                        + " then both restarted", db, ADAPTERS, produced, province);
                Map<String, String> perAdapter = new LinkedHashMap<>();
                Map<String, Long> expected = new LinkedHashMap<>();
                expected.put("procurement", (long) BEFORE + 2 * CHANGED);
                expected.put("hub-feed", (long) county.versions());
                expected.put("trading", (long) BEFORE + 2 * CHANGED);
                expected.put("penalties", (long) BEFORE + 2 * CHANGED);
                expected.put("housing-fund", (long) BEFORE + 2 * CHANGED);
                expected.put("public-funds", (long) BEFORE + 2 * CHANGED);
                expected.forEach((adapter, versions) -> {
                    String where = adapter.equals("hub-feed") ? "record_id LIKE 'approvals:SG-CL-%'"
                            : "adapter = '" + adapter + "'";
                    long records = FaultDb.count(db, "SELECT COUNT(*) FROM record WHERE " + where);
                    long applied = FaultDb.count(db, "SELECT COUNT(*) FROM record_version WHERE " + where);
                    assertThat(records).as("%s records", adapter).isEqualTo(BEFORE + CHANGED);
                    assertThat(applied).as("%s: one version per record and one per change", adapter)
                            .isEqualTo(versions);
                    perAdapter.put(adapter, records + " records/" + applied + " versions");
                });
                System.out.println("CLUSTER-FIGURES per adapter (every one stored once at its newest version): "
                        + perAdapter);
                assertThat(f.provinceDuplicates()).as("no version pushed under two keys").isZero();
                assertThat(FaultDb.count(db, "SELECT COUNT(*) FROM record_version WHERE adapter = 'land-transfer'"))
                        .as("the export read by one node at a time: each Transfer one version")
                        .isEqualTo(export.versions());
                assertThat(approvals.maxConcurrent()).as("the approvals system answering two requests at once (%d"
                        + " overlapping of %d): two nodes polling it together", approvals.overlapping(),
                        approvals.requests()).isEqualTo(1);
                int read = feed.assertReadEveryAppliedVersionOnceInOrder(db);
                FeedFixtures.Consumer fromStart = new FeedFixtures.Consumer(again.baseUrl(), "province",
                        "province-secret", 500);
                fromStart.drain(null);
                fromStart.assertReadEveryAppliedVersionOnceInOrder(db);
                assertThat(takeover.values()).as("each job taken over within %s", TAKEOVER_BOUND)
                        .allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(TAKEOVER_BOUND));

                System.out.printf(Locale.ROOT, "CLUSTER-FIGURES two nodes: node %s (leading %d of the jobs) killed;"
                                + " takeover per job: %s; node %s storing new records after %s s; node %s LOST after"
                                + " %s s; then the primary broker killed: backup live after %s s, storing again after"
                                + " %s s; both restarted: failback %s s (backup restarts %d), node %s UP again after %s s;"
                                + " produced=%d stored=%d lost=%d doubled=%d versions=%d; province batches=%d"
                                + " requests=%d duplicates=%d; approvals requests=%d, at most %d at once; feed %d"
                                + " versions read = applied, in order%n",
                        victimName, victimJobs.size(), takeover.entrySet().stream()
                                .map(e -> e.getKey() + " " + secs(e.getValue()) + " s")
                                .collect(Collectors.joining(", ")),
                        survivorName, secs(nodeStoring), victimName, secs(lost[0]), secs(backupLive),
                        secs(brokerStoring), secs(failback), pair.backupRestarts(),
                        victimName, secs(rejoined), f.produced(), f.stored(), f.lost(), f.duplicatedVersions(),
                        f.versions(), f.provinceBatches(), f.provinceRequests(), f.provinceDuplicates(),
                        approvals.requests(), approvals.maxConcurrent(), read);
            }
        } finally {
            started.forEach(ChildHub::kill);
        }
    }

    /** What the other sources (every adapter but approvals and land-transfer) have produced so far. */
    private static Map<String, Produced> others(ProcurementOffice office, CountyFeed county, TradingCentre trading,
                                                PenaltiesBureau bureau, FundCentre fund, TreasuryQueue treasury)
            throws java.sql.SQLException {
        Map<String, Produced> out = new LinkedHashMap<>(office.produced());
        out.putAll(county.produced());
        out.putAll(trading.produced());
        out.putAll(bureau.produced());
        out.putAll(fund.produced());
        out.putAll(treasury.produced());
        return out;
    }

    /** The settings both nodes share: BrokerPairClusterIT's hub on the pair, the province, the cluster on. */
    private static Map<String, Object> nodes(String url, ArtemisPair pair, FakeApprovalsSystem approvals, Path drop,
                                             FakeProvince province) {
        Map<String, Object> p = BrokerPairClusterIT.hub(url, pair, approvals, drop);
        p.putAll(HubKillFaultIT.province(province));
        p.put("hub.cluster.enabled", "true");
        p.put("hub.cluster.lock-ttl", "6s");
        p.put("hub.cluster.heartbeat", "1s");
        return p;
    }

    private static Map<String, Object> node(Map<String, Object> props, String name) {
        Map<String, Object> p = new LinkedHashMap<>(props);
        p.put("hub.cluster.node-name", name);
        return p;
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }

    private static String secs(Duration d) {
        return String.format(Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
    }
}
