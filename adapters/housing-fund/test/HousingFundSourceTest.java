package yingyan.adapters.housingfund;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import yingyan.canonical.CanonicalTime;
import yingyan.spi.AdapterMonitor;
import yingyan.spi.IngestGateway;
import yingyan.spi.IngestOutcome;
import yingyan.spi.SourceItem;
import yingyan.store.WatermarkStore;

/**
 * The incremental reading against H2 in MariaDB mode, with the hub's clock and the pipeline stubbed:
 * shared seconds split across polls, late commits, a quiet source, a failed hand-over, a dead host.
 */
class HousingFundSourceTest {
    private static final DateTimeFormatter T = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    private static final String VALID_ID = "370702198503150010";

    private final MutableClock clock = new MutableClock(LocalDateTime.of(2026, 3, 12, 10, 5, 0));
    private final AdapterMonitor monitor = new AdapterMonitor();
    private final RecordingGateway gateway = new RecordingGateway();
    private final MemoryWatermarks watermarks = new MemoryWatermarks();
    private String url;
    private Connection db;
    private HousingFundSource source;

    @BeforeEach
    void setUp() throws SQLException {
        url = HousingFundFixtures.freshH2Url();
        db = HousingFundFixtures.open(url);
        HousingFundFixtures.createTables(db);
        source = source(url, 100, 1000);
    }

    @AfterEach
    void tearDown() throws SQLException {
        source.destroy();
        db.close();
    }

    @Test
    void thousandsOfRowsInOneSecondAreReadExactlyOnceAcrossPollsThatStopMidSecond() throws SQLException {
        for (int i = 1; i <= 2500; i++) {
            withdrawal(String.format("TQ%06d", i), "2026-03-12 10:04:50");
        }
        source.poll();
        assertThat(gateway.keys()).hasSize(1000);
        Watermark.TableState mid = Watermark.parse(watermarks.position).get(SourceTable.GJJ_TQ);
        assertThat(mid.cursor()).isEqualTo(new SourceDatabase.Keyset("2026-03-12 10:04:50", "TQ001000"));
        assertThat(mid.inPass()).isTrue();

        source.poll();
        source.poll();
        assertThat(gateway.keys()).hasSize(2500).doesNotHaveDuplicates();
        Watermark.TableState done = Watermark.parse(watermarks.position).get(SourceTable.GJJ_TQ);
        assertThat(done.inPass()).isFalse();
        assertThat(done.cursor()).isNull();
        // The pass began at 10:05:00; with a 90 s overlap everything before 10:03:30 is settled.
        assertThat(done.settled()).isEqualTo("2026-03-12 10:03:30");
        assertThat(done.last()).isEqualTo(new SourceDatabase.Keyset("2026-03-12 10:04:50", "TQ002500"));
        assertThat(monitor.state(HousingFundMapper.ADAPTER_ID).failing()).isFalse();
    }

    @Test
    void rowsLeavingASharedSecondWhileItIsReadSkipNothingBecauseTheKeysetDoesNotMove() throws SQLException {
        // The approvals livelock's pattern (a crowded second whose rows move on while it is paged) against this
        // adapter: it pages by (GXSJ, key), not by position, so a row that leaves the second shifts nothing.
        for (int i = 1; i <= 2500; i++) {
            withdrawal(String.format("TQ%06d", i), "2026-03-12 10:04:50");
        }
        Random random = new Random(15);
        AtomicInteger moved = new AtomicInteger();
        gateway.afterSubmit = () -> {
            try (PreparedStatement ps = db.prepareStatement("UPDATE GJJ_TQ SET ZT = '2', GXSJ = ? WHERE TQBH = ?")) {
                ps.setString(1, "2026-03-12 10:04:5" + (1 + moved.incrementAndGet() % 9));
                ps.setString(2, String.format("TQ%06d", 1 + random.nextInt(2500)));
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
        pollUntilThePassEnds();
        gateway.afterSubmit = () -> { };
        pollUntilThePassEnds(); // rows moved after the pass's last chunk are the next pass's

        assertThat(moved.get()).isGreaterThan(20);
        Map<String, String> current = new HashMap<>();
        try (ResultSet rs = db.createStatement().executeQuery("SELECT TQBH, GXSJ FROM GJJ_TQ")) {
            while (rs.next()) {
                current.put("TQ-" + rs.getString(1), rs.getString(2).substring(0, 19));
            }
        }
        Map<String, String> lastRead = new HashMap<>();
        gateway.items.forEach(item -> lastRead.put(item.sourceKey(), gxsj(item.text())));
        assertThat(lastRead).isEqualTo(current);
        assertThat(monitor.state(HousingFundMapper.ADAPTER_ID).failing()).isFalse();
    }

    private void pollUntilThePassEnds() {
        for (int polls = 0; polls < 20; polls++) {
            source.poll();
            if (!Watermark.parse(watermarks.position).get(SourceTable.GJJ_TQ).inPass()) {
                return;
            }
        }
        throw new AssertionError("the pass did not end in 20 polls");
    }

    private static String gxsj(String json) {
        int at = json.indexOf("\"GXSJ\":\"") + 8;
        return json.substring(at, at + 19);
    }

    @Test
    void aRowCommittedLateWithAnOlderChangeTimeIsReadByTheNextPass() throws SQLException {
        withdrawal("TQ-A", "2026-03-12 10:04:50");
        source.poll();
        assertThat(gateway.keys()).containsExactly("TQ-TQ-A");

        // Committed now, stamped 30 s before the newest row already read.
        withdrawal("TQ-LATE", "2026-03-12 10:04:20");
        clock.advance(Duration.ofSeconds(30));
        source.poll();
        assertThat(gateway.keys()).contains("TQ-TQ-LATE");
        // TQ-A is read again inside the overlap: the same bytes, which the record store counts as a duplicate.
        assertThat(gateway.hashesOf("TQ-TQ-A")).hasSize(2).containsOnly(gateway.hashesOf("TQ-TQ-A").get(0));
    }

    @Test
    void aCentreWhoseClockRunsBehindTheHubsLosesNoLateRow_thePassStartIsTheCentresClock() throws SQLException {
        // The hub's clock runs 5 minutes ahead of the centre's database clock (or the centre's behind the hub's).
        MutableClock centre = new MutableClock(LocalDateTime.of(2026, 3, 12, 10, 5, 0));
        MutableClock hub = new MutableClock(LocalDateTime.of(2026, 3, 12, 10, 10, 0));
        source.destroy();
        source = new HousingFundSource(props(url, 100, 1000, ""), monitor, gateway, watermarks, hub,
                (c, timeout) -> centre.beijing(), null);
        withdrawal("TQ-A", "2026-03-12 10:04:50");
        source.poll();
        // Settled by the centre's clock: 10:05:00 − 90 s, not the hub's 10:10:00 − 90 s.
        assertThat(Watermark.parse(watermarks.position).get(SourceTable.GJJ_TQ).settled())
                .isEqualTo("2026-03-12 10:03:30");

        // Committed late by the centre, stamped 30 s before the newest row already read.
        withdrawal("TQ-LATE", "2026-03-12 10:04:20");
        centre.advance(Duration.ofSeconds(30));
        hub.advance(Duration.ofSeconds(30));
        source.poll();
        assertThat(gateway.keys()).contains("TQ-TQ-LATE");
    }

    @Test
    void aQuietSourceIsNotReReadOnceItsRowsHaveSettled() throws SQLException {
        withdrawal("TQ-Q", "2026-03-12 10:04:50");
        source.poll(); // pass at 10:05:00: settled 10:03:30
        clock.advance(Duration.ofSeconds(100));
        source.poll(); // pass at 10:06:40 re-reads TQ-Q (still inside the overlap): settled 10:05:10
        clock.advance(Duration.ofSeconds(30));
        source.poll(); // nothing at or after 10:05:10
        source.poll();
        assertThat(gateway.keys()).containsExactly("TQ-TQ-Q", "TQ-TQ-Q");
    }

    @Test
    void aRowUpdatedLaterIsReadAgainAsItsNewVersion() throws SQLException {
        withdrawal("TQ-U", "2026-03-12 10:00:00");
        source.poll();
        try (PreparedStatement ps = db.prepareStatement(
                "UPDATE GJJ_TQ SET ZT = '2', SPSJ = ?, ZFSJ = ?, GXSJ = ? WHERE TQBH = 'TQ-U'")) {
            ps.setString(1, "2026-03-12 10:06:00");
            ps.setString(2, "2026-03-12 10:06:00");
            ps.setString(3, "2026-03-12 10:06:00");
            ps.executeUpdate();
        }
        clock.advance(Duration.ofMinutes(2));
        source.poll();
        assertThat(gateway.keys()).containsExactly("TQ-TQ-U", "TQ-TQ-U");
        assertThat(gateway.items.get(1).text()).contains("\"ZT\":\"2\"").contains("\"GXSJ\":\"2026-03-12 10:06:00\"");
    }

    @Test
    void aChunkThatCouldNotBeQueuedIsReadAgainAndTheOnesBeforeItAreNot() throws SQLException {
        for (int i = 1; i <= 250; i++) {
            withdrawal(String.format("TQ%06d", i), "2026-03-12 10:04:50");
        }
        gateway.failOnCall = 2;
        source.poll();
        AdapterMonitor.AdapterState state = monitor.state(HousingFundMapper.ADAPTER_ID);
        assertThat(state.failing()).isTrue();
        assertThat(state.lastError()).contains("queue is down");
        assertThat(Watermark.parse(watermarks.position).get(SourceTable.GJJ_TQ).cursor().key()).isEqualTo("TQ000100");

        state.pollNow();
        source.poll();
        assertThat(state.failing()).isFalse();
        Map<String, Long> times = gateway.keys().stream().collect(Collectors.groupingBy(Function.identity(),
                Collectors.counting()));
        assertThat(times).hasSize(250);
        assertThat(times.get("TQ-TQ000001")).isEqualTo(1);
        assertThat(times.get("TQ-TQ000250")).isEqualTo(1);
    }

    @Test
    void bothTablesAreReadWithTheirOwnPositions() throws SQLException {
        withdrawal("TQ-B", "2026-03-12 10:01:00");
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO GJJ_DK (DKBH, JKRXM, SFZH, DKJE, DKQX, SQSJ, ZT,"
                + " XZQH, GXSJ) VALUES ('DK-B', '某人', ?, 100000.00, 120, '2026-03-12 09:00:00', '0', '370702',"
                + " '2026-03-12 10:02:00')")) {
            ps.setString(1, VALID_ID);
            ps.executeUpdate();
        }
        source.poll();
        assertThat(gateway.keys()).containsExactly("TQ-TQ-B", "DK-DK-B");
        Watermark w = Watermark.parse(watermarks.position);
        assertThat(w.get(SourceTable.GJJ_TQ).last().key()).isEqualTo("TQ-B");
        assertThat(w.get(SourceTable.GJJ_DK).last().key()).isEqualTo("DK-B");
    }

    @Test
    void startFromSkipsOlderRowsWhenThereIsNoWatermark() throws SQLException {
        withdrawal("TQ-OLD", "2026-01-01 00:00:00");
        withdrawal("TQ-NEW", "2026-03-01 00:00:00");
        source.destroy();
        source = new HousingFundSource(props(url, 100, 1000, "2026-02-01 00:00:00"), monitor, gateway, watermarks,
                clock);
        source.poll();
        assertThat(gateway.keys()).containsExactly("TQ-TQ-NEW");
    }

    @Test
    void anUnreachableDatabaseIsASourceFailureNamingTheHostAndTheDriversReason() {
        // Port 1: nothing listens, the connection is refused at once (the timeout leaves room for a cold driver).
        HousingFundSource dead = new HousingFundSource(new HousingFundProperties(true,
                "jdbc:mariadb://127.0.0.1:1/gjj?password=secret-in-url", "sa", "", Duration.ofHours(1),
                Duration.ofHours(1), 100, 1000, Duration.ofSeconds(90), "", 2, Duration.ofSeconds(3),
                Duration.ofSeconds(10), ""), monitor, gateway, watermarks, clock);
        try {
            dead.poll();
        } finally {
            dead.destroy();
        }
        AdapterMonitor.AdapterState state = monitor.state(HousingFundMapper.ADAPTER_ID);
        assertThat(state.failing()).isTrue();
        assertThat(state.lastError()).contains("cannot connect to the fund centre's database at 127.0.0.1:1/gjj")
                .contains("Socket fail to connect").containsIgnoringCase("refused").doesNotContain("secret-in-url");
        assertThat(state.mayPoll()).as("backing off").isFalse();
        assertThat(watermarks.position).isNull();
    }

    @Test
    void aBackfillReadsEveryRowSinceItsTimeAgainAcrossPollsUntilCaughtUpAndNeverMovesForward() throws SQLException {
        source.destroy();
        source = source(url, 100, 1000);
        withdrawal("TQ-OLD", "2026-03-12 09:00:00");
        for (int i = 1; i <= 1500; i++) {
            withdrawal(String.format("TQ%06d", i), "2026-03-12 10:00:00");
        }
        source.poll();
        source.poll();
        clock.advance(Duration.ofHours(1));
        source.poll(); // a quiet pass: everything before 11:03:30 is settled
        assertThat(Watermark.parse(watermarks.position).get(SourceTable.GJJ_TQ).settled()).isEqualTo("2026-03-12 11:03:30");
        int before = gateway.items.size();

        var run = source.rewind(CanonicalTime.parseSource("2026-03-12 09:30:00"));
        assertThat(run.from()).isEqualTo(CanonicalTime.parseSource("2026-03-12 09:30:00"));
        run.readToEnd(); // 1500 rows at max-rows-per-poll 1000: two polls, until neither table is in a pass

        List<String> reread = gateway.keys().subList(before, gateway.keys().size());
        assertThat(reread).hasSize(1500).doesNotHaveDuplicates().doesNotContain("TQ-TQ-OLD").contains("TQ-TQ001500");
        Watermark.TableState tq = Watermark.parse(watermarks.position).get(SourceTable.GJJ_TQ);
        assertThat(tq.inPass()).isFalse();
        assertThat(tq.settled()).isEqualTo("2026-03-12 11:03:30");
        assertThat(run.position()).isEqualTo(CanonicalTime.parseSource("2026-03-12 11:03:30"));

        // A since after the settled time moves nothing forward: reading starts where the adapter is.
        assertThat(source.rewind(CanonicalTime.parseSource("2026-03-13 00:00:00")).from())
                .isEqualTo(CanonicalTime.parseSource("2026-03-12 11:03:30"));
    }

    private HousingFundSource source(String jdbcUrl, int chunk, int maxRows) {
        return new HousingFundSource(props(jdbcUrl, chunk, maxRows, ""), monitor, gateway, watermarks, clock);
    }

    private static HousingFundProperties props(String jdbcUrl, int chunk, int maxRows, String startFrom) {
        return new HousingFundProperties(true, jdbcUrl, "sa", "", Duration.ofHours(1), Duration.ofHours(1), chunk,
                maxRows, Duration.ofSeconds(90), startFrom, 2, Duration.ofMillis(500), Duration.ofSeconds(10), "");
    }

    private void withdrawal(String key, String gxsj) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO GJJ_TQ (TQBH, ZGXM, SFZH, TQLX, TQJE, SQSJ, ZT,"
                + " XZQH, GXSJ) VALUES (?, '某人', ?, '01', 1000.00, '2026-03-12 09:00:00', '0', '370702', ?)")) {
            ps.setString(1, key);
            ps.setString(2, VALID_ID);
            ps.setString(3, gxsj);
            ps.executeUpdate();
        }
    }

    /** Records every submitted item in order; can fail one call as a broker outage would. */
    static final class RecordingGateway implements IngestGateway {
        final List<SourceItem> items = new ArrayList<>();
        final AtomicInteger calls = new AtomicInteger();
        int failOnCall = -1;
        Runnable afterSubmit = () -> { };


        @Override
        public IngestOutcome submit(List<SourceItem> batch) {
            if (calls.incrementAndGet() == failOnCall) {
                throw new IngestException("could not queue " + batch.size() + " items: queue is down", null);
            }
            items.addAll(batch);
            afterSubmit.run();
            return new IngestOutcome(batch.size(), 0, List.of(), List.of());
        }

        List<String> keys() {
            return items.stream().map(SourceItem::sourceKey).toList();
        }

        List<String> hashesOf(String key) {
            return items.stream().filter(i -> i.sourceKey().equals(key))
                    .map(i -> yingyan.spi.Payloads.sha256(i.raw())).toList();
        }
    }

    /** The watermark table, in memory. */
    static final class MemoryWatermarks extends WatermarkStore {
        String position;

        MemoryWatermarks() {
            super(null);
        }

        @Override
        public java.util.Optional<String> get(String adapter) {
            return java.util.Optional.ofNullable(position);
        }

        @Override
        public void put(String adapter, String position) {
            this.position = position;
        }

        @Override
        public void reset(String adapter) {
            position = null;
        }
    }

    /** The hub's clock, set in Beijing local time and moved by the test. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(LocalDateTime beijing) {
            this.now = beijing.toInstant(CanonicalTime.BEIJING);
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        LocalDateTime beijing() {
            return LocalDateTime.ofInstant(now, CanonicalTime.BEIJING);
        }

        @Override
        public ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
