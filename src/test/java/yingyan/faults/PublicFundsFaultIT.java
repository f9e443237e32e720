package yingyan.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
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
import yingyan.testsupport.ChildHub;
import yingyan.testsupport.FaultDb;
import yingyan.testsupport.Hubs;
import yingyan.testsupport.NothingLost;
import yingyan.testsupport.Services;
import yingyan.testsupport.TcpGate;
import yingyan.testsupport.Ticker;
import yingyan.testsupport.TreasuryQueue;

/**
 * public-funds (issue 13) on the machine's RabbitMQ, each test on a queue of its own:
 * <ul>
 *   <li>kill -9 of the hub (a child JVM, PostgreSQL, persistent broker journal) while it consumes: with
 *       prefetch 1 one payment is delivered and not yet acked at every moment of the flow, so the kill leaves
 *       one unacked; after the restart it is redelivered and is one version (a duplicate by its hash if its
 *       record was queued before the kill);</li>
 *   <li>the broker going away twice under load (a {@link TcpGate} in front of it shuts: every connection cut,
 *       new ones refused; then opens): the adapter reconnects by itself and nothing is lost or doubled.</li>
 * </ul>
 */
@Tag("fault")
class PublicFundsFaultIT {
    private static final String ADAPTER = "public-funds";
    /** Payments the treasury publishes while the broker is cut (every other one paid: 600 messages). */
    private static final int PAYMENTS = 400;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void killedWithAPaymentDeliveredAndUnacked_itIsRedeliveredAfterTheRestartAndStoredOnce() throws Exception {
        String url = Services.freshPostgresDatabase("fault_pf_kill");
        JdbcTemplate db = FaultDb.jdbc(url);
        try (TreasuryQueue treasury = new TreasuryQueue("kill")) {
            // Enough that the queue is far from drained when the kill lands, even on a fast machine (asking
            // rabbitmqctl takes a second or two while the hub goes on consuming).
            for (int i = 0; i < 500; i++) {
                treasury.pay("PK", i, i % 3 == 0);
            }
            Map<String, Object> props = ChildHub.onPostgres(url, dir.resolve("artemis"));
            props.putAll(treasury.hubSettings(treasury.host(), treasury.port()));
            Path logs = ChildHub.logDir(getClass());
            int unackedAtKill;
            try (ChildHub first = ChildHub.start(logs, props)) {
                first.await("a third of the payments stored", Duration.ofSeconds(120), () -> stored(db) >= 100);
                unackedAtKill = unacked(treasury.queue());
                first.kill();
            }
            long storedAtKill = stored(db);
            System.out.println("public-funds kill: " + storedAtKill + " versions stored, " + unackedAtKill
                    + " message(s) unacked just before the kill (rabbitmqctl; -1 = not asked)");
            assertThat(storedAtKill).as("killed before the queue was done").isLessThan(treasury.messages());
            if (unackedAtKill >= 0) {
                assertThat(unackedAtKill).as("a payment delivered to the hub and not yet acked when it was killed")
                        .isEqualTo(1);
            }
            // The broker hands the unacked message back once the dead hub's connection is gone.
            Awaitility.await("the queue holding the rest again").atMost(Duration.ofSeconds(30))
                    .until(() -> treasury.ready() > 0);

            try (ChildHub second = ChildHub.start(logs, props)) {
                NothingLost.awaitSettled(db, treasury.produced(), null, Duration.ofSeconds(150));
                second.await("the queue drained", Duration.ofSeconds(30), () -> treasury.ready() == 0);
                long duplicates = FaultDb.count(db,
                        "SELECT COALESCE(SUM(duplicates), 0) FROM ingest_counter WHERE adapter = 'public-funds'");
                System.out.println("public-funds kill: " + treasury.messages() + " messages published, "
                        + duplicates + " redelivered as a duplicate of a stored version");
                NothingLost.check("kill -9 with an unacked public-funds message", db, List.of(ADAPTER),
                        treasury.produced(), null);
                assertThat(FaultDb.count(db, "SELECT COUNT(*) FROM record_version WHERE adapter = 'public-funds'"))
                        .as("one version per message content: 500 approved, 167 of them paid").isEqualTo(treasury.messages());
            }
        } finally {
            Services.dropPostgresDatabase(url);
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void brokerAwayTwiceWhilePaymentsFlow_theAdapterReconnectsByItselfAndNothingIsLostOrDoubled() throws Exception {
        try (TreasuryQueue treasury = new TreasuryQueue("cut");
             TcpGate gate = new TcpGate(treasury.host(), treasury.port())) {
            gate.open();
            Map<String, Object> props = new java.util.LinkedHashMap<>(treasury.hubSettings("127.0.0.1", gate.port()));
            ConfigurableApplicationContext hub = Hubs.start(props);
            Ticker flow = null;
            try {
                JdbcTemplate db = hub.getBean(JdbcTemplate.class);
                // The treasury publishes 400 payments (600 messages) steadily, one every 15 ms (its pace, not a
                // wait for the hub), whatever the hub does.
                flow = Ticker.every(Duration.ofMillis(15), i -> {
                    if (i < PAYMENTS) {
                        treasury.pay("PC", i, i % 2 == 0);
                    }
                });
                for (int cut = 1; cut <= 2; cut++) {
                    long before = stored(db);
                    await("records flowing before cut " + cut, () -> stored(db) >= before + 60);
                    gate.shut();
                    long atCut = stored(db);
                    // Away for 3 s: nothing more comes in (the one message queued in the hub before the cut may
                    // still be stored).
                    Awaitility.await("nothing consumed while the broker is away (cut " + cut + ")")
                            .during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                            .until(() -> stored(db) <= atCut + 2);
                    System.out.println("public-funds broker cut " + cut + ": " + atCut + " stored at the cut, "
                            + stored(db) + " after 3 s away");
                    gate.open();
                    await("the adapter consuming again by itself after cut " + cut, () -> stored(db) > atCut + 20);
                }
                Ticker paying = flow;
                Awaitility.await("the treasury done publishing").atMost(Duration.ofSeconds(120))
                        .until(() -> paying.ticks() >= PAYMENTS);
                flow.stop();
                NothingLost.awaitSettled(db, treasury.produced(), null, Duration.ofSeconds(120));
                await("the queue drained", () -> treasury.ready() == 0);
                NothingLost.check("RabbitMQ away twice under load", db, List.of(ADAPTER), treasury.produced(), null);
                assertThat(FaultDb.count(db, "SELECT COUNT(*) FROM record_version WHERE adapter = 'public-funds'"))
                        .as("one version per message content").isEqualTo(treasury.messages());
            } finally {
                if (flow != null) {
                    flow.close();
                }
                hub.close();
            }
        }
    }

    private static long stored(JdbcTemplate db) {
        return FaultDb.count(db, "SELECT COUNT(*) FROM record_version WHERE adapter = 'public-funds'");
    }

    private static void await(String what, java.util.concurrent.Callable<Boolean> condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(condition);
    }

    /**
     * Messages of this queue delivered and not yet acked, as the broker counts them ({@code rabbitmqctl}, where it
     * runs here); -1 where it cannot be asked.
     */
    private static int unacked(String queue) {
        try {
            Process p = new ProcessBuilder("rabbitmqctl", "list_queues", "-q", "--no-table-headers", "name",
                    "messages_unacknowledged").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return -1;
            }
            for (String line : out.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 2 && f[0].equals(queue)) {
                    return Integer.parseInt(f[1]);
                }
            }
            return -1;
        } catch (java.io.IOException | NumberFormatException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
