package yingyan.adapters.housingfund;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.CanonicalTime;
import yingyan.canonical.Status;
import yingyan.ingest.FixtureMapper;
import yingyan.quarantine.QuarantineEntry;
import yingyan.quarantine.QuarantineService;
import yingyan.quarantine.QuarantineStore;
import yingyan.spi.AdapterMonitor;
import yingyan.spi.IngestGateway;
import yingyan.spi.ReconciliationLog;
import yingyan.store.WatermarkStore;
import yingyan.testsupport.Services;
import yingyan.testsupport.TcpGate;

/**
 * The adapter against the real MariaDB on this machine, with the whole hub around it (test profile:
 * municipal database H2 in memory, embedded broker). The adapter reaches MariaDB through a {@link TcpGate}
 * so a test can take the database away and bring it back without touching the shared server. Polls are
 * driven by the test (the timer is set to an hour); rows carry change times near the real clock, since
 * the settled time follows the hub's clock.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(FixtureMapper.Config.class)
@ExtendWith(OutputCaptureExtension.class)
class HousingFundMariaDbIT {
    private static final DateTimeFormatter T = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    private static final String VALID_ID = "370702198503150010";
    private static final String OTHER_VALID_ID = "11010519491231002X";
    private static final String WRONG_CHECK_ID = "370702198503150011";
    private static final Set<String> CLEAR_IDS = Set.of(VALID_ID, OTHER_VALID_ID, WRONG_CHECK_ID);
    private static final String ADAPTER = HousingFundMapper.ADAPTER_ID;

    private static String schemaUrl;
    private static TcpGate gate;


    @Autowired
    HousingFundSource source;
    @Autowired
    WatermarkStore watermarks;
    @Autowired
    AdapterMonitor monitor;
    @Autowired
    JdbcTemplate hub;
    @Autowired
    QuarantineStore quarantine;
    @Autowired
    QuarantineService quarantineService;
    @Autowired
    IngestGateway gateway;
    @Autowired
    TestRestTemplate http;
    @Autowired
    HousingFundReconciliation reconciliation;

    @BeforeAll
    static void mariaDb() throws Exception {
        schemaUrl = Services.freshMariaDbSchema("hf");
        URI u = URI.create(schemaUrl.substring("jdbc:".length()));
        gate = new TcpGate(u.getHost(), u.getPort());
        gate.open();
        try (Connection c = centre(); Statement s = c.createStatement()) {
            for (String ddl : SourceDatabase.SPEC_DDL) {
                s.execute(ddl);
            }
        }
    }

    @AfterAll
    static void closeGateAndDropSchema() throws SQLException {
        if (gate != null) {
            gate.close();
        }
        if (schemaUrl != null) {
            try (Connection c = centre(); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE " + URI.create(schemaUrl.substring(5)).getPath().substring(1));
            }
        }
    }

    @DynamicPropertySource
    static void adapter(DynamicPropertyRegistry r) {
        r.add("hub.adapters.housing-fund.enabled", () -> "true");
        r.add("hub.adapters.housing-fund.jdbc-url", () -> {
            URI u = URI.create(schemaUrl.substring("jdbc:".length()));
            return "jdbc:mariadb://127.0.0.1:" + gate.port() + u.getPath();
        });
        r.add("hub.adapters.housing-fund.username", Services::mariaDbUser);
        r.add("hub.adapters.housing-fund.password", HousingFundMariaDbIT::mariaDbPassword);
        r.add("hub.adapters.housing-fund.chunk-size", () -> "100");
        r.add("hub.adapters.housing-fund.max-rows-per-poll", () -> "1000");
        r.add("hub.adapters.housing-fund.poll-interval", () -> "1h");
        r.add("hub.adapters.housing-fund.initial-delay", () -> "1h");
        r.add("hub.adapters.housing-fund.connect-timeout", () -> "3s");
    }

    @BeforeEach
    void cleanSource() throws Exception {
        gate.open();
        try (Connection c = centre(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM GJJ_TQ");
            s.execute("DELETE FROM GJJ_DK");
        }
        watermarks.reset(ADAPTER);
        monitor.state(ADAPTER).pollNow();
    }

    @Test
    void thousandsOfRowsSharingOneSecondAreStoredExactlyOnceThoughPollsStopMidSecond() throws Exception {
        String second = beijingNow().minusSeconds(20).format(T);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 1; i <= 3000; i++) {
            rows.add(withdrawal(String.format("S-%05d", i), VALID_ID, "01", second));
        }
        insertWithdrawals(rows);

        source.poll();
        Watermark.TableState afterFirst = watermark().get(SourceTable.GJJ_TQ);
        assertThat(afterFirst.inPass()).isTrue();
        assertThat(afterFirst.cursor()).as("stopped in the middle of the shared second")
                .isEqualTo(new SourceDatabase.Keyset(second, "S-01000"));

        pollUntilPassesComplete();
        awaitDrained();
        assertThat(records("TQ-S-%")).isEqualTo(3000);
        assertThat(versions("TQ-S-%")).isEqualTo(3000);

        // A second pass still sees the rows inside the overlap: all duplicates, no second versions.
        long duplicatesBefore = counter("duplicates");
        pollUntilPassesComplete();
        awaitDrained();
        assertThat(counter("duplicates") - duplicatesBefore).isEqualTo(3000);
        assertThat(records("TQ-S-%")).isEqualTo(3000);
        assertThat(versions("TQ-S-%")).isEqualTo(3000);
    }

    @Test
    void rowsUpdatedLaterEndAsTheirNewestVersionInOneRecordEach() throws Exception {
        LocalDateTime now = beijingNow();
        String first = now.minusSeconds(40).format(T);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            rows.add(withdrawal(String.format("U-%03d", i), VALID_ID, "01", first));
        }
        insertWithdrawals(rows);
        pollUntilPassesComplete();
        awaitDrained();
        assertThat(records("TQ-U-%")).isEqualTo(50);

        String paid = now.minusSeconds(10).format(T);
        try (Connection c = centre(); PreparedStatement ps = c.prepareStatement("UPDATE GJJ_TQ SET ZT = '2', SPR = '王审批',"
                + " SPSJ = ?, ZFSJ = ?, GXSJ = ? WHERE TQBH <= 'U-020'")) {
            ps.setString(1, paid);
            ps.setString(2, paid);
            ps.setString(3, paid);
            assertThat(ps.executeUpdate()).isEqualTo(20);
        }
        pollUntilPassesComplete();
        awaitDrained();

        assertThat(records("TQ-U-%")).isEqualTo(50);
        CanonicalRecord updated = record("housing-fund:TQ-U-007");
        assertThat(updated.status()).isEqualTo(Status.COMPLETED);
        assertThat(updated.source().updatedAt()).isEqualTo(CanonicalTime.parseSource(paid));
        assertThat(versions("TQ-U-007")).isEqualTo(2);
        assertThat(record("housing-fund:TQ-U-030").status()).isEqualTo(Status.OPEN);
        assertThat(versions("TQ-U-030")).isEqualTo(1);
        assertThat(versions("TQ-U-%")).isEqualTo(70);
    }

    @Test
    void theCentresClockIsReadAsBeijingTimeWhateverTheServersTimeZone() throws Exception {
        try (Connection c = centre(); Statement s = c.createStatement()) {
            // As on this machine's server (and many): a session in UTC, where NOW() is 8 hours behind GXSJ's time.
            s.execute("SET time_zone = '+00:00'");
            LocalDateTime before = beijingNow();
            LocalDateTime centreNow = SourceDatabase.now(c, 10);
            LocalDateTime after = beijingNow();
            assertThat(centreNow).isBetween(before.minusSeconds(5), after.plusSeconds(5));
        }
    }

    @Test
    void aRowTheWatermarkMissedIsReadAgainByTheReconciliation() throws Exception {
        LocalDateTime now = beijingNow();
        insertWithdrawals(List.<Object[]>of(withdrawal("RC-A", VALID_ID, "01", now.minusMinutes(10).format(T))));
        pollUntilPassesComplete();
        awaitDrained();
        // Committed now, stamped 5 minutes ago: already settled, so no pass will read it.
        insertWithdrawals(List.<Object[]>of(withdrawal("RC-MISSED", VALID_ID, "01", now.minusMinutes(5).format(T))));
        assertThat(now.minusMinutes(5).format(T)).isLessThan(watermark().get(SourceTable.GJJ_TQ).settled());
        pollUntilPassesComplete();
        assertThat(records("TQ-RC-MISSED")).isZero();

        ReconciliationLog.Run run;
        try (Connection c = centre()) {
            run = reconciliation.run(c, watermark(), 10,
                    o -> monitor.state(ADAPTER).progressed(o.queued(), o.quarantined()));
        }
        awaitDrained();
        assertThat(records("TQ-RC-MISSED")).isEqualTo(1);
        assertThat(run.checked()).isEqualTo(2);
        assertThat(run.missing()).isEqualTo(1);
        assertThat(run.reread()).isEqualTo(1);
        assertThat(run.error()).isNull();
        assertThat(records("TQ-RC-A")).isEqualTo(1);
        assertThat(versions("TQ-RC-%")).isEqualTo(2);
    }

    @Test
    void aRowCommittedLateWithAChangeTimeOlderThanTheWatermarkIsPickedUpByTheNextPoll() throws Exception {
        LocalDateTime now = beijingNow();
        insertLoan("L-NEW", now.minusSeconds(5).format(T));
        pollUntilPassesComplete();
        Watermark.TableState s = watermark().get(SourceTable.GJJ_DK);
        assertThat(s.last()).isEqualTo(new SourceDatabase.Keyset(now.minusSeconds(5).format(T), "L-NEW"));

        // Stamped 40 s ago by the centre's application, committed only now: behind the last row read.
        String late = now.minusSeconds(40).format(T);
        assertThat(late).isLessThan(s.last().gxsj());
        insertLoan("L-LATE", late);
        pollUntilPassesComplete();
        awaitDrained();
        assertThat(records("DK-L-LATE")).isEqualTo(1);
        assertThat(records("DK-L-NEW")).isEqualTo(1);
        assertThat(versions("DK-L-%")).isEqualTo(2);
    }

    @Test
    void anInvalidResidentIdQuarantinesThatRowWithItsKeyAndNoClearIdIsStoredOrLogged(CapturedOutput output)
            throws Exception {
        String second = beijingNow().minusSeconds(15).format(T);
        insertWithdrawals(List.<Object[]>of(
                withdrawal("Q-001", VALID_ID, "01", second),
                withdrawal("Q-002", WRONG_CHECK_ID, "01", second),
                withdrawal("Q-003", OTHER_VALID_ID, "99", second)));
        pollUntilPassesComplete();
        awaitDrained();

        assertThat(records("TQ-Q-001")).isEqualTo(1);
        assertThat(records("TQ-Q-003")).isEqualTo(1);
        assertThat(records("TQ-Q-002")).isZero();
        QuarantineEntry bad = quarantine.list(ADAPTER, QuarantineEntry.OPEN, null, 1000).stream()
                .filter(e -> "TQ-Q-002".equals(e.sourceKey())).findFirst().orElseThrow();
        assertThat(bad.field()).isEqualTo("GJJ_TQ.SFZH");
        assertThat(bad.reason()).contains("GJJ_TQ.SFZH").contains("370702********0011").contains("check character");
        assertThat(bad.origin()).contains("GJJ_TQ").contains("TQBH=Q-002");

        // The raw row alone is enough to map it again: release re-runs the mapping and finds the same fault.
        QuarantineService.ReleaseOutcome again = quarantineService.release(bad.id());
        assertThat(again.state()).isEqualTo("STILL_INVALID");
        assertThat(again.detail()).contains("370702********0011").doesNotContain(WRONG_CHECK_ID);
        // The quarantined raw row is the documented stable JSON, with every column as read.
        String raw = quarantine.raw(bad.id()).orElseThrow().text();
        assertThat(raw).startsWith("{\"row\":{\"GXSJ\":\"" + second + "\",").endsWith("},\"table\":\"GJJ_TQ\"}")
                .contains("\"TQJE\":\"1000.00\"").contains("\"SPR\":null");

        assertNoClearResidentIdIn(output);
    }

    @Test
    void anUnreachableDatabaseIsHealthDownWithTheReasonAndTheAdapterRecovers() throws Exception {
        insertWithdrawals(List.<Object[]>of(withdrawal("H-001", VALID_ID, "01", beijingNow().minusSeconds(10).format(T))));
        var viewer = http.withBasicAuth("viewer", "viewer-secret");

        gate.shut();
        source.poll();
        ResponseEntity<Map> down = viewer.getForEntity("/actuator/health/adapters/" + ADAPTER, Map.class);
        assertThat(down.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(down.getBody().get("status")).isEqualTo("DOWN");
        Map<?, ?> details = (Map<?, ?>) down.getBody().get("details");
        String where = "127.0.0.1:" + gate.port() + URI.create(schemaUrl.substring(5)).getPath();
        // Refused at connect, or cut under a pooled connection: either way the reason names the database.
        assertThat(details.get("reason").toString()).contains("the fund centre's database at " + where)
                .containsAnyOf("cannot connect", "lost the connection");
        assertThat(monitor.state(ADAPTER).mayPoll()).as("backs off instead of hammering").isFalse();
        assertThat(records("TQ-H-001")).isZero();

        // Other adapters go on while this one is down.
        gateway.submit(List.of(FixtureMapper.item("HF-OTHER", "2026-03-01 10:00:00", "1.00")));
        await().atMost(Duration.ofSeconds(30)).until(() -> hub.queryForObject(
                "SELECT COUNT(*) FROM record WHERE record_id = 'fixture:HF-OTHER'", Integer.class) == 1);
        assertThat(viewer.getForEntity("/actuator/health/adapters/fixture", Map.class).getStatusCode())
                .isEqualTo(HttpStatus.OK);

        gate.open();
        monitor.state(ADAPTER).pollNow();
        pollUntilPassesComplete();
        ResponseEntity<Map> up = viewer.getForEntity("/actuator/health/adapters/" + ADAPTER, Map.class);
        assertThat(up.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(up.getBody().get("status")).isEqualTo("UP");
        awaitDrained();
        assertThat(records("TQ-H-001")).isEqualTo(1);
    }

    // --- helpers -------------------------------------------------------------------------------

    private void assertNoClearResidentIdIn(CapturedOutput output) {
        List<String> texts = new ArrayList<>();
        texts.addAll(hub.queryForList("SELECT body FROM record", String.class));
        texts.addAll(hub.queryForList("SELECT body FROM record_version", String.class));
        hub.queryForList("SELECT source_key, origin, field, reason, release_outcome FROM quarantine")
                .forEach(m -> texts.add(m.values().toString()));
        texts.addAll(hub.queryForList("SELECT position FROM watermark", String.class));
        texts.add(output.getAll());
        for (String id : CLEAR_IDS) {
            assertThat(texts).as("clear resident ID " + id.substring(0, 6) + "…").noneMatch(t -> t != null
                    && t.contains(id));
        }
    }

    private void pollUntilPassesComplete() {
        for (int i = 0; i < 50; i++) {
            source.poll();
            AdapterMonitor.AdapterState s = monitor.state(ADAPTER);
            assertThat(s.failing()).as("poll failed: " + s.lastError()).isFalse();
            Watermark w = watermark();
            if (!w.get(SourceTable.GJJ_TQ).inPass() && !w.get(SourceTable.GJJ_DK).inPass()) {
                return;
            }
        }
        throw new AssertionError("passes did not complete in 50 polls: " + watermark());
    }

    /** Every record this adapter queued has been applied (as new, newer, duplicate, stale or conflict). */
    private void awaitDrained() {
        await().atMost(Duration.ofSeconds(90)).until(() -> counter("applied") + counter("duplicates")
                + counter("stale") + counter("conflicts") == monitor.state(ADAPTER).queuedTotal());
    }

    private Watermark watermark() {
        return Watermark.parse(watermarks.get(ADAPTER).orElse(null));
    }

    private long counter(String column) {
        List<Long> v = hub.queryForList("SELECT " + column + " FROM ingest_counter WHERE adapter = ?", Long.class,
                ADAPTER);
        return v.isEmpty() ? 0 : v.get(0);
    }

    private int records(String keyPattern) {
        return hub.queryForObject("SELECT COUNT(*) FROM record WHERE record_id LIKE ?", Integer.class,
                ADAPTER + ":" + keyPattern);
    }

    private int versions(String keyPattern) {
        return hub.queryForObject("SELECT COUNT(*) FROM record_version WHERE record_id LIKE ?", Integer.class,
                ADAPTER + ":" + keyPattern);
    }

    private CanonicalRecord record(String recordId) {
        return CanonicalJson.read(hub.queryForObject("SELECT body FROM record WHERE record_id = ?", String.class,
                recordId));
    }

    private static LocalDateTime beijingNow() {
        return LocalDateTime.now(CanonicalTime.BEIJING).withNano(0);
    }

    private static Object[] withdrawal(String key, String id, String reason, String gxsj) {
        return new Object[]{key, "某职工", id, reason, "1000.00", gxsj, gxsj};
    }

    private static void insertWithdrawals(List<Object[]> rows) throws SQLException {
        try (Connection c = centre(); PreparedStatement ps = c.prepareStatement("INSERT INTO GJJ_TQ (TQBH, ZGXM, SFZH,"
                + " TQLX, TQJE, SQSJ, ZT, XZQH, GXSJ) VALUES (?, ?, ?, ?, ?, ?, '0', '370702', ?)")) {
            c.setAutoCommit(false);
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    ps.setObject(i + 1, row[i]);
                }
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        }
    }

    private static void insertLoan(String key, String gxsj) throws SQLException {
        try (Connection c = centre(); PreparedStatement ps = c.prepareStatement("INSERT INTO GJJ_DK (DKBH, JKRXM, SFZH,"
                + " DKJE, DKQX, SQSJ, ZT, XZQH, GXSJ) VALUES (?, '某借款人', ?, 300000.00, 240, ?, '0', '370783', ?)")) {
            ps.setString(1, key);
            ps.setString(2, OTHER_VALID_ID);
            ps.setString(3, gxsj);
            ps.setString(4, gxsj);
            ps.executeUpdate();
        }
    }

    /** A direct connection to the test schema, as the centre's application would have (not through the gate). */
    private static Connection centre() throws SQLException {
        return DriverManager.getConnection(schemaUrl, Services.mariaDbUser(), mariaDbPassword());
    }

    private static String mariaDbPassword() {
        String p = System.getenv("YINGYAN_IT_MARIADB_PASSWORD");
        return p == null ? "" : p;
    }
}
