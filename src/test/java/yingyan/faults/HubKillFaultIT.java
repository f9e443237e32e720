package yingyan.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import yingyan.adapters.housingfund.FundCentre;
import yingyan.adapters.landtransfer.LandTransferExports;
import yingyan.testsupport.ChildHub;
import yingyan.testsupport.FakeProvince;
import yingyan.testsupport.FaultDb;
import yingyan.testsupport.NothingLost;
import yingyan.testsupport.NothingLost.Produced;
import yingyan.testsupport.Services;
import yingyan.testsupport.Viewer;

/**
 * kill -9 of the hub, three times, each in the middle of a different piece of work, then a fourth hub on
 * the same PostgreSQL database, embedded broker journal and drop folder. The hub is a child JVM, so a
 * kill is a crash: no shutdown hook, no flush, the broker journal left as it is. Each kill lands while the
 * other work goes on too:
 * <ol>
 *   <li>halfway through a land-transfer export (the province down meanwhile: the backlog grows);</li>
 *   <li>halfway through a housing-fund poll of the centre's MariaDB (withdrawals are paid while the hub is
 *       down: newer versions);</li>
 *   <li>during a push: the province records a batch and the hub dies before it hears the answer.</li>
 * </ol>
 * In the end every record the two departments produced is in the database once at its newest version,
 * each version applied once and owed to the province once, the export processed once, and the province
 * has accepted each newest version exactly once (resends under the same Idempotency-Key are allowed).
 */
@Tag("fault")
class HubKillFaultIT {
    static final String SECRET = "test-province-secret-0123456789";
    static final String FILE = "CRGG_20260320_001.xml";

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void killedMidFileMidPollAndMidPush_everyRecordEndsOnceAtItsNewestVersionAndIsAcceptedOnce() throws Exception {
        String url = Services.freshPostgresDatabase("fault_kill");
        JdbcTemplate db = jdbc(url);
        try {
            crashThreeTimes(url, db);
        } finally {
            Services.dropPostgresDatabase(url);
        }
    }

    private void crashThreeTimes(String url, JdbcTemplate db) throws Exception {
        Path drop = Files.createDirectories(dir.resolve("drop"));
        Path logs = ChildHub.logDir(getClass());
        LandTransferExports export = new LandTransferExports("KL", 1_500);
        export.drop(drop, FILE);
        try (FundCentre fund = FundCentre.create("fault_kill_hf");
             FakeProvince province = new FakeProvince(SECRET).mode(FakeProvince.Mode.ERROR_500)) {
            Map<String, Object> props = hub(url, drop, fund, province);

            // 1. kill -9 halfway through the export.
            try (ChildHub first = ChildHub.start(logs, props)) {
                first.await("the first hub halfway through the export", Duration.ofSeconds(120),
                        () -> Viewer.queued(first.baseUrl(), "land-transfer") >= export.transfers() / 3);
                first.kill();
            }
            assertThat(count(db, "SELECT COUNT(*) FROM processed_file")).as("killed before the export was done").isZero();
            System.out.println("kill 1 (mid export): " + count(db, "SELECT COUNT(*) FROM record") + " records stored");

            // 2. kill -9 halfway through a housing-fund poll; the centre pays some withdrawals meanwhile.
            var t = FundCentre.now();
            // Ten seconds of 120 rows each (polls stop inside a shared second), committed within the 60 s
            // the spec allows between a row's GXSJ and its commit.
            for (int s = 0; s < 10; s++) {
                fund.applyForWithdrawals("KH", s * 120, 120, t.minusSeconds(40 - s));
            }
            try (ChildHub second = ChildHub.start(logs, props)) {
                second.await("the second hub halfway through the fund's rows", Duration.ofSeconds(120),
                        () -> count(db, "SELECT COUNT(*) FROM record WHERE adapter = 'housing-fund'") >= 300);
                second.kill();
            }
            long fundStored = count(db, "SELECT COUNT(*) FROM record WHERE adapter = 'housing-fund'");
            System.out.println("kill 2 (mid poll): " + fundStored + " fund records stored");
            assertThat(fundStored).as("killed before the poll was done").isLessThan(1200);
            assertThat(fund.payWithdrawals("KH", 0, 240, FundCentre.now())).isEqualTo(240);

            // 3. kill -9 while the province has just recorded a batch and the hub has not heard the answer.
            AtomicInteger batches = new AtomicInteger();
            AtomicReference<String> answerLost = new AtomicReference<>();
            try (ChildHub h = ChildHub.start(logs, props)) {
                province.onAccepted(key -> {
                    if (batches.incrementAndGet() == 3) {
                        answerLost.set(key);
                        h.kill();
                    }
                }).mode(FakeProvince.Mode.ACCEPT);
                org.awaitility.Awaitility.await("the third hub killed by the province's hook")
                        .atMost(Duration.ofSeconds(120)).until(() -> !h.alive());
            }
            province.onAccepted(key -> { });
            System.out.println("kill 3 (mid push): province has " + province.batches() + " batches");

            // 4. The hub after the crashes finishes everything.
            try (ChildHub fourth = ChildHub.start(logs, props)) {
                Map<String, Produced> produced = new LinkedHashMap<>(export.produced());
                produced.putAll(fund.produced());
                fourth.await("the export done", Duration.ofSeconds(150),
                        () -> Files.exists(drop.resolve("done").resolve(FILE)));
                awaitSettled(fourth, db, produced.size());

                NothingLost.check("kill -9 mid file, mid poll, mid push", db, List.of("land-transfer", "housing-fund"),
                        produced, province);
                assertThat(count(db, "SELECT COUNT(*) FROM processed_file WHERE file_name = '" + FILE + "'"))
                        .as("the export processed once").isEqualTo(1);
                assertThat(drop.resolve(FILE)).doesNotExist();
                assertThat(count(db, "SELECT COUNT(*) FROM record_version WHERE adapter = 'land-transfer'"))
                        .as("each Transfer of the export one version").isEqualTo(export.versions());
                assertThat(db.queryForObject("SELECT body FROM record WHERE record_id = ?", String.class,
                        "land-transfer:" + export.parcelNo(25))).as("a same-second correction wins")
                        .contains(export.finalDealPrice(25));
                assertThat(province.requestsPerKey().get(answerLost.get()))
                        .as("the batch whose answer was lost in the crash went again under its key").isGreaterThan(1);
            }
        }
    }

    // ---- helpers ----

    /** A hub on this PostgreSQL database with its broker journal under the test's folder and all three sources. */
    private Map<String, Object> hub(String url, Path drop, FundCentre fund, FakeProvince province) {
        Map<String, Object> p = ChildHub.onPostgres(url, dir.resolve("artemis"));
        p.put("hub.adapters.land-transfer.enabled", "true");
        p.put("hub.adapters.land-transfer.drop-dir", drop);
        p.put("hub.adapters.land-transfer.poll-interval", "200ms");
        p.put("hub.adapters.land-transfer.chunk-size", "100");
        p.putAll(housingFund(fund));
        p.putAll(province(province));
        return p;
    }

    /** housing-fund on the fund centre's schema, polled every second, at most 200 rows a poll. */
    static Map<String, Object> housingFund(FundCentre fund) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("hub.adapters.housing-fund.enabled", "true");
        p.put("hub.adapters.housing-fund.jdbc-url", fund.jdbcUrl());
        p.put("hub.adapters.housing-fund.username", FundCentre.user());
        p.put("hub.adapters.housing-fund.password", FundCentre.password());
        p.put("hub.adapters.housing-fund.poll-interval", "1s");
        p.put("hub.adapters.housing-fund.max-rows-per-poll", "200");
        p.put("hub.adapters.housing-fund.initial-delay", "100ms");
        p.put("hub.adapters.housing-fund.chunk-size", "100");
        return p;
    }

    /** The push to this province with backoffs of a test's length. */
    static Map<String, Object> province(FakeProvince province) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("hub.province.enabled", "true");
        p.put("hub.province.base-url", province.baseUrl());
        p.put("hub.province.secret", SECRET);
        p.put("hub.province.batch-max-records", "200");
        p.put("hub.province.poll-interval", "200ms");
        p.put("hub.province.read-timeout", "3s");
        p.put("hub.province.initial-backoff", "200ms");
        p.put("hub.province.max-backoff", "2s");
        p.put("hub.province.breaker-failure-threshold", "3");
        p.put("hub.province.breaker-open-for", "1s");
        return p;
    }

    static JdbcTemplate jdbc(String url) {
        return FaultDb.jdbc(url);
    }

    static long count(JdbcTemplate db, String sql) {
        return FaultDb.count(db, sql);
    }

    /**
     * Every produced record stored, nothing owed to the province, and nothing applied or counted for two
     * polls in a row (the queue is drained: a redelivered duplicate would still move the counters).
     */
    static void awaitSettled(ChildHub hub, JdbcTemplate db, long records) {
        long[] last = {-1};
        hub.await(records + " records stored, nothing owed to the province, the queue drained", Duration.ofSeconds(180),
                () -> {
                    long now = count(db, "SELECT COUNT(*) FROM record_version")
                            + count(db, "SELECT COALESCE(SUM(duplicates + stale + conflicts), 0) FROM ingest_counter");
                    boolean settled = now == last[0] && count(db, "SELECT COUNT(*) FROM record") >= records
                            && count(db, "SELECT COUNT(*) FROM province_delivery WHERE state IN ('PENDING', 'SENDING')") == 0;
                    last[0] = now;
                    return settled;
                }, Duration.ofSeconds(1));
    }

}
