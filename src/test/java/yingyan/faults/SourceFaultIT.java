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
import yingyan.adapters.housingfund.FundCentre;
import yingyan.adapters.landtransfer.LandTransferExports;
import yingyan.testsupport.FakeApprovalsSystem;
import yingyan.testsupport.FakeApprovalsSystem.Case;
import yingyan.testsupport.Hubs;
import yingyan.testsupport.NothingLost;
import yingyan.testsupport.NothingLost.Produced;
import yingyan.testsupport.TcpGate;
import yingyan.testsupport.Viewer;

/**
 * Two department systems fail at once while a third keeps delivering: the approval system answers
 * every request 503, and the fund centre's MariaDB goes away (a gate in front of the shared server
 * closes: connections refused, open ones cut). Both departments go on changing their data meanwhile.
 * The land bureau's exports keep flowing into the database; both failing adapters show DOWN with the
 * reason; when their systems are back they recover by themselves (no restart, no "poll now"), and every
 * record of the three departments is stored once at its newest version.
 */
@Tag("fault")
class SourceFaultIT {
    static final DateTimeFormatter T = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    static final LocalDateTime T0 = LocalDateTime.of(2026, 3, 1, 9, 0, 0);

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void approvals503StormAndFundDatabaseDown_landTransferKeepsFlowingAndBothRecoverByThemselves() throws Exception {
        Path drop = Files.createDirectories(dir.resolve("drop"));
        try (FakeApprovalsSystem approvals = new FakeApprovalsSystem("test-approvals-key");
             FundCentre fund = FundCentre.create("fault_src_hf");
             TcpGate gate = new TcpGate(fund.host(), fund.port())) {
            gate.open();
            cases(approvals, 0, 100, 0);
            fund.applyForWithdrawals("SF", 0, 200, FundCentre.now().minusSeconds(30));

            Map<String, Object> props = new LinkedHashMap<>();
            props.put("hub.adapters.approvals.enabled", "true");
            props.put("hub.adapters.approvals.base-url", approvals.baseUrl());
            props.put("hub.adapters.approvals.poll-interval", "200ms");
            props.put("hub.adapters.approvals.page-size", "50");
            props.put("hub.adapters.approvals.max-attempts", "2");
            props.put("hub.adapters.approvals.initial-backoff", "200ms");
            props.put("hub.adapters.approvals.max-backoff", "1s");
            props.put("hub.adapters.housing-fund.enabled", "true");
            props.put("hub.adapters.housing-fund.jdbc-url", fund.jdbcUrlVia("127.0.0.1", gate.port()));
            props.put("hub.adapters.housing-fund.username", FundCentre.user());
            props.put("hub.adapters.housing-fund.password", FundCentre.password());
            props.put("hub.adapters.housing-fund.poll-interval", "300ms");
            props.put("hub.adapters.housing-fund.initial-delay", "100ms");
            props.put("hub.adapters.housing-fund.connect-timeout", "2s");
            props.put("hub.adapters.land-transfer.enabled", "true");
            props.put("hub.adapters.land-transfer.drop-dir", drop);
            props.put("hub.adapters.land-transfer.poll-interval", "200ms");
            ConfigurableApplicationContext hub = Hubs.start(props);
            try {
                JdbcTemplate db = hub.getBean(JdbcTemplate.class);
                String base = "http://127.0.0.1:" + hub.getEnvironment().getProperty("local.server.port");
                await("the first 300 records", () -> stored(db, "approvals") == 100 && stored(db, "housing-fund") == 200);

                // Both systems fail, and both go on changing.
                approvals.failWith(503);
                gate.shut();
                cases(approvals, 100, 100, 0);
                cases(approvals, 0, 50, 1);
                fund.applyForWithdrawals("SF", 200, 200, FundCentre.now().minusSeconds(5));
                fund.payWithdrawals("SF", 0, 50, FundCentre.now());
                await("both adapters DOWN with their reason", () ->
                        Viewer.downReason(base, "approvals").contains("503") && Viewer.downReason(base, "housing-fund").contains("database"));

                // The land bureau's exports go on being stored meanwhile.
                LandTransferExports first = new LandTransferExports("SA", 300);
                LandTransferExports second = new LandTransferExports("SB", 300);
                first.drop(drop, "CRGG_20260321_001.xml");
                second.drop(drop, "CRGG_20260321_002.xml");
                await("land-transfer stored while the others are down", () -> stored(db, "land-transfer") == 600);
                assertThat(Viewer.downReason(base, "approvals")).as("approvals still failing").contains("503");
                assertThat(Viewer.downReason(base, "housing-fund")).as("housing-fund still failing").contains("database");
                assertThat(stored(db, "approvals")).isEqualTo(100);
                assertThat(stored(db, "housing-fund")).isEqualTo(200);

                // Back: nobody presses anything.
                approvals.failWith(0);
                gate.open();
                Map<String, Produced> produced = new LinkedHashMap<>(approvals.produced());
                produced.putAll(fund.produced());
                produced.putAll(first.produced());
                produced.putAll(second.produced());
                await("both recovered by themselves", () -> Viewer.downReason(base, "approvals").isEmpty()
                        && Viewer.downReason(base, "housing-fund").isEmpty());
                NothingLost.awaitSettled(db, produced, null, Duration.ofSeconds(60));

                NothingLost.check("approvals 503 storm + fund database down", db,
                        List.of("approvals", "housing-fund", "land-transfer"), produced, null);
            } finally {
                hub.close();
            }
        }
    }

    /** Cases {@code AP-<from>}… ({@code count}); {@code version} 0 is received, 1 completed a day later. */
    private static void cases(FakeApprovalsSystem approvals, int from, int count, int version) {
        for (int i = from; i < from + count; i++) {
            approvals.put(new Case(String.format("AP-%04d", i), T0.plusDays(version).plusSeconds(i).format(T),
                    version == 0 ? "在办" : "办结"));
        }
    }

    private static long stored(JdbcTemplate db, String adapter) {
        Long n = db.queryForObject("SELECT COUNT(*) FROM record WHERE adapter = ?", Long.class, adapter);
        return n == null ? 0 : n;
    }

    private static void await(String what, java.util.concurrent.Callable<Boolean> until) {
        Awaitility.await(what).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(until);
    }
}
