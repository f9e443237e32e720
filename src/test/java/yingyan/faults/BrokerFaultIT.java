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
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import yingyan.adapters.landtransfer.LandTransferExports;
import yingyan.testsupport.FakeApprovalsSystem;
import yingyan.testsupport.FakeApprovalsSystem.Case;
import yingyan.testsupport.Hubs;
import yingyan.testsupport.NothingLost;
import yingyan.testsupport.NothingLost.Produced;
import yingyan.testsupport.StandaloneArtemis;
import yingyan.testsupport.Ticker;

/**
 * The standalone Artemis broker (production's set-up) killed with kill -9 while the hub is busy: the
 * approval system changing every 100 ms and a land-transfer export being read, queued and persisted.
 * Started again on its journal a few seconds later, the hub reconnects by itself (producers and the
 * persist consumer), and every record is stored once at its newest version.
 */
@Tag("fault")
class BrokerFaultIT {
    static final DateTimeFormatter T = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    static final LocalDateTime T0 = LocalDateTime.of(2026, 3, 1, 9, 0, 0);

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void brokerKilledUnderLoadAndStartedAgain_theHubReconnectsByItselfAndNothingIsLost() throws Exception {
        Path drop = Files.createDirectories(dir.resolve("drop"));
        try (StandaloneArtemis broker = StandaloneArtemis.create(dir).start();
             FakeApprovalsSystem approvals = new FakeApprovalsSystem("test-approvals-key")) {
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("spring.artemis.mode", "native");
            props.put("spring.artemis.embedded.enabled", "false");
            props.put("spring.artemis.broker-url", broker.url());
            props.put("hub.adapters.approvals.enabled", "true");
            props.put("hub.adapters.approvals.base-url", approvals.baseUrl());
            props.put("hub.adapters.approvals.poll-interval", "200ms");
            props.put("hub.adapters.approvals.page-size", "100");
            props.put("hub.adapters.land-transfer.enabled", "true");
            props.put("hub.adapters.land-transfer.drop-dir", drop);
            props.put("hub.adapters.land-transfer.poll-interval", "200ms");
            props.put("hub.adapters.land-transfer.chunk-size", "50");
            ConfigurableApplicationContext hub = Hubs.start(props);
            try {
                JdbcTemplate db = hub.getBean(JdbcTemplate.class);
                LandTransferExports export = new LandTransferExports("BK", 1_500);
                Map<String, Produced> produced = new LinkedHashMap<>(export.produced());
                // Every tick (one source second) a new case; every third tick an earlier case is completed.
                try (Ticker load = Ticker.every(Duration.ofMillis(100), i -> {
                    String now = T0.plusSeconds(i).format(T);
                    approvals.put(new Case(String.format("BK-%05d", i), now, "在办"));
                    if (i % 3 == 2) {
                        approvals.put(new Case(String.format("BK-%05d", i / 3), now, "办结"));
                    }
                })) {
                    await("records flowing", () -> count(db, "approvals") >= 30);
                    export.drop(drop, "CRGG_20260322_001.xml");
                    await("the export being read and stored", () -> count(db, "land-transfer") >= 100);

                    broker.kill();
                    int killedAt = load.ticks();
                    long landAtKill = count(db, "land-transfer");
                    await("the departments go on changing while the broker is away", () -> load.ticks() >= killedAt + 30);
                    assertThat(landAtKill).as("the export was still under way when the broker died")
                            .isLessThan(export.produced().size());

                    broker.start();
                    long approvalsAtRestart = count(db, "approvals");
                    await("records flowing again", () -> count(db, "approvals") > approvalsAtRestart + 20);
                    load.stop();
                }
                produced.putAll(approvals.produced());
                NothingLost.awaitSettled(db, produced, null, Duration.ofSeconds(90));
                NothingLost.check("standalone Artemis kill -9 under load", db, List.of("approvals", "land-transfer"),
                        produced, null);
                assertThat(db.queryForObject("SELECT COUNT(*) FROM record_version WHERE adapter = 'land-transfer'",
                        Integer.class)).as("each Transfer one version").isEqualTo(export.versions());
            } finally {
                hub.close(); // before the broker goes: a client that reconnects forever would hold the JVM
            }
        }
    }

    private static long count(JdbcTemplate db, String adapter) {
        Long n = db.queryForObject("SELECT COUNT(*) FROM record WHERE adapter = ?", Long.class, adapter);
        return n == null ? 0 : n;
    }

    private static void await(String what, java.util.concurrent.Callable<Boolean> until) {
        Awaitility.await(what).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(until);
    }
}
