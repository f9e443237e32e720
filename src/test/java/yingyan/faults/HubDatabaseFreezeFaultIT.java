package yingyan.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import yingyan.testsupport.FakeApprovalsSystem;
import yingyan.testsupport.FakeApprovalsSystem.Case;
import yingyan.testsupport.FakeProvince;
import yingyan.testsupport.Hubs;
import yingyan.testsupport.NothingLost;
import yingyan.testsupport.Services;
import yingyan.testsupport.TcpGate;
import yingyan.testsupport.Ticker;

/**
 * The hub's own database connection goes silent, half-open, at the worst moment: right after a persist took
 * {@code feed_lock} (the gate forwards its {@code UPDATE feed_lock} and then nothing more, either way, on any
 * connection). The server keeps that session open, idle in its transaction and holding the lock; the hub's
 * thread waits for an answer that never comes. Once the network is back (new connections go through, the
 * frozen ones stay silent, as after a dead router), the hub must be storing again within a bound — its socket
 * timeout gives up on the silent connection, the server's idle-in-transaction timeout ends the session that
 * held the lock, the lock timeout keeps the other persists from queueing behind it for hours — and nothing is
 * lost or doubled. Without those timeouts the hub stays stuck until TCP keepalive notices, hours later.
 */
@Tag("fault")
class HubDatabaseFreezeFaultIT {
    static final DateTimeFormatter T = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    static final LocalDateTime T0 = LocalDateTime.of(2026, 3, 1, 9, 0, 0);
    /** How long after the network is back the hub must be storing again (the test's timeouts are 3–8 s). */
    static final Duration RECOVERY = Duration.ofSeconds(45);

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void connectionFrozenWhileHoldingFeedLock_theHubRecoversWithinABoundAndNothingIsLost() throws Exception {
        String url = Services.freshPostgresDatabase("freeze");
        String hostPort = url.substring("jdbc:postgresql://".length(), url.lastIndexOf('/'));
        String host = hostPort.substring(0, hostPort.lastIndexOf(':'));
        int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
        try (TcpGate gate = new TcpGate(host, port);
             FakeApprovalsSystem approvals = new FakeApprovalsSystem("test-approvals-key");
             FakeProvince province = new FakeProvince(HubKillFaultIT.SECRET)) {
            gate.open();
            JdbcTemplate db = HubKillFaultIT.jdbc(url); // the test's own view, around the gate
            Map<String, Object> props = new LinkedHashMap<>(HubKillFaultIT.province(province));
            // Plain text and no server-prepared statements, so the gate can see which statement takes the lock.
            props.put("spring.datasource.url", "jdbc:postgresql://127.0.0.1:" + gate.port()
                    + url.substring(url.lastIndexOf('/')) + "?sslmode=disable&prepareThreshold=0");
            props.put("spring.datasource.username", Services.pgUser());
            props.put("spring.datasource.password", "");
            props.put("spring.datasource.hikari.connection-timeout", "2000");
            // The production settings' mechanism at a test's length.
            props.put("hub.database.connect-timeout", "3s");
            props.put("hub.database.socket-timeout", "8s");
            props.put("hub.database.statement-timeout", "6s");
            props.put("hub.database.lock-timeout", "3s");
            props.put("hub.database.idle-in-transaction-timeout", "4s");
            props.put("hub.adapters.approvals.enabled", "true");
            props.put("hub.adapters.approvals.base-url", approvals.baseUrl());
            props.put("hub.adapters.approvals.poll-interval", "200ms");
            props.put("hub.adapters.approvals.page-size", "100");
            ConfigurableApplicationContext hub = Hubs.start(props);
            try {
                try (Ticker load = Ticker.every(Duration.ofMillis(100), i -> {
                    String now = T0.plusSeconds(i).format(T);
                    approvals.put(new Case(String.format("FZ-%05d", i), now, "在办"));
                    if (i % 3 == 2) {
                        approvals.put(new Case(String.format("FZ-%05d", i / 3), now, "办结"));
                    }
                })) {
                    await("records flowing", Duration.ofSeconds(90), () -> count(db, "SELECT COUNT(*) FROM record") >= 50);

                    gate.freezeAfter("UPDATE feed_lock");
                    await("a persist froze holding feed_lock", Duration.ofSeconds(30), gate::frozen);
                    // The session that took the lock is open on the server, in its transaction, holding the lock.
                    assertThat(count(db, "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
                            + " AND state LIKE 'idle in transaction%'")).isPositive();
                    int frozenAt = load.ticks();
                    await("the departments go on changing meanwhile", Duration.ofSeconds(30),
                            () -> load.ticks() >= frozenAt + 30);

                    long storedBefore = count(db, "SELECT COUNT(*) FROM record");
                    gate.thaw();
                    long thawed = System.nanoTime();
                    await("storing again after the network is back", RECOVERY,
                            () -> count(db, "SELECT COUNT(*) FROM record") > storedBefore + 20);
                    System.out.printf("FREEZE-FIGURES storing again %.1f s after the network came back%n",
                            (System.nanoTime() - thawed) / 1e9);
                    int thawedAt = load.ticks();
                    await("records flowing again", Duration.ofSeconds(30), () -> load.ticks() >= thawedAt + 20);
                    load.stop();
                }
                Map<String, NothingLost.Produced> produced = approvals.produced();
                NothingLost.awaitSettled(db, produced, province, Duration.ofSeconds(90));
                NothingLost.check("the hub's database connection frozen half-open holding feed_lock", db,
                        List.of("approvals"), produced, province);
            } finally {
                hub.close();
            }
        } finally {
            Services.dropPostgresDatabase(url);
        }
    }

    private static long count(JdbcTemplate db, String sql) {
        Long n = db.queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }

    private static void await(String what, Duration atMost, Callable<Boolean> until) {
        Awaitility.await(what).atMost(atMost).pollInterval(Duration.ofMillis(250)).until(until);
    }
}
