package yingyan.adapters.penalties;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import yingyan.adapters.penalties.soap.Penalty;
import yingyan.canonical.CanonicalTime;
import yingyan.testsupport.ChildHub;
import yingyan.testsupport.FaultDb;
import yingyan.testsupport.NothingLost;
import yingyan.testsupport.NothingLost.Produced;
import yingyan.testsupport.Services;

/**
 * kill -9 of the hub (a child JVM, PostgreSQL, persistent broker journal) in the middle of a penalties SOAP page
 * (issue 13): the bureau's service (the tests' {@link FakePenaltyService}, answering each page slowly) kills the
 * hub when the request for page 5 arrives, so the hub dies waiting for that page with pages 1-4 submitted. While
 * it is down the bureau updates 100 of the cases already read. The restarted hub resumes from its watermark
 * (minus the overlap): every case once at its newest version, each version once.
 */
@Tag("fault")
class PenaltiesKillFaultIT {
    private static final DateTimeFormatter T = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final LocalDateTime T0 = LocalDateTime.of(2026, 3, 2, 9, 0, 0);
    private static final int CASES = 1_000;
    private static final int KILL_ON_CALL = 5;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void killedWhileAPageIsOnItsWay_everyCaseOnceAtItsNewestVersion() throws Exception {
        String url = Services.freshPostgresDatabase("fault_penalties");
        JdbcTemplate db = FaultDb.jdbc(url);
        try (FakePenaltyService bureau = new FakePenaltyService()) {
            for (int i = 0; i < CASES; i++) {
                bureau.cases.add(FakePenaltyService.penalty(caseNo(i), T0.plusSeconds(i).format(T)));
            }
            Map<String, Object> props = ChildHub.onPostgres(url, dir.resolve("artemis"));
            props.put("hub.adapters.penalties.enabled", "true");
            props.put("hub.adapters.penalties.base-url", bureau.baseUrl());
            props.put("hub.adapters.penalties.username", "yingyan-hub");
            props.put("hub.adapters.penalties.password", "fault-test-password");
            props.put("hub.adapters.penalties.poll-interval", "1s");
            props.put("hub.adapters.penalties.page-size", "100");
            props.put("hub.adapters.penalties.start-from", "2026-01-01 00:00:00");
            props.put("hub.adapters.penalties.read-timeout", "20s");
            Path logs = ChildHub.logDir(getClass());

            AtomicReference<ChildHub> running = new AtomicReference<>();
            // The bureau answers a page in 300 ms (a slow service), so the kill lands while the hub waits.
            bureau.latency.set(Duration.ofMillis(300));
            bureau.script = n -> {
                if (n == KILL_ON_CALL) {
                    running.get().kill(); // the hub is waiting for this page's answer
                }
                return null;
            };
            try (ChildHub first = ChildHub.start(logs, props)) {
                running.set(first);
                Awaitility.await("the hub killed while page " + KILL_ON_CALL + " was on its way")
                        .atMost(Duration.ofSeconds(120)).until(() -> !first.alive());
            }
            long atKill = FaultDb.count(db, "SELECT COUNT(*) FROM record WHERE adapter = 'penalties'");
            System.out.println("penalties kill (mid page " + KILL_ON_CALL + "): " + atKill + " cases stored, "
                    + bureau.calls.size() + " calls");
            assertThat(atKill).as("pages before the kill stored, not all").isPositive().isLessThan(CASES);

            // Meanwhile the bureau updates 100 cases the hub had read (a later second, another status).
            for (int i = 0; i < 100; i++) {
                Penalty p = FakePenaltyService.penalty(caseNo(i), T0.plusDays(1).plusSeconds(i).format(T));
                p.setStatus("告知");
                bureau.cases.set(i, p);
            }
            Map<String, Produced> produced = new LinkedHashMap<>();
            for (Penalty p : bureau.cases) {
                produced.put("penalties:" + p.getCaseNo(), Produced.at(CanonicalTime.parseSource(p.getUpdatedAt())));
            }
            int callsBefore = bureau.calls.size();
            bureau.script = n -> null;
            try (ChildHub second = ChildHub.start(logs, props)) {
                NothingLost.awaitSettled(db, produced, null, Duration.ofSeconds(120));
                second.await("two more polls after everything is stored", Duration.ofSeconds(30),
                        () -> bureau.calls.size() > callsBefore + 2 + CASES / 100);
                NothingLost.check("kill -9 in the middle of a penalties SOAP page", db, List.of("penalties"),
                        produced, null);
                assertThat(FaultDb.count(db, "SELECT COUNT(*) FROM record_version WHERE adapter = 'penalties'"))
                        .as("one version per case and one per update").isEqualTo(CASES + 100);
            }
        } finally {
            Services.dropPostgresDatabase(url);
        }
    }

    private static String caseNo(int i) {
        return String.format("GSCF-2026-%05d", i);
    }
}
