package yingyan.adapters.housingfund;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import yingyan.adapters.housingfund.HousingFundSourceTest.MutableClock;
import yingyan.spi.AdapterMonitor;
import yingyan.spi.IngestGateway;
import yingyan.spi.ReconciliationLog;
import yingyan.spi.StoredHashes;
import yingyan.store.WatermarkStore;
import yingyan.testsupport.Viewer;

/**
 * Rows a watermark missed — one committed later than the overlap allowed (its GXSJ already settled), one changed
 * by the centre without a new GXSJ — are not read by the passes, and are found and read again by the nightly
 * reconciliation, through the whole pipeline into the hub's database; its figures are on the console's board.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class HousingFundReconciliationTest {
    private static final String VALID_ID = "370702198503150010";

    @Autowired IngestGateway gateway;
    @Autowired WatermarkStore watermarks;
    @Autowired StoredHashes stored;
    @Autowired ReconciliationLog runs;
    @Autowired JdbcTemplate hubDb;
    @LocalServerPort int port;

    /** The hub's and the centre's clock (they agree here): 2026-03-12 10:05 Beijing. */
    private final MutableClock clock = new MutableClock(LocalDateTime.of(2026, 3, 12, 10, 5, 0));
    private Connection centre;
    private HousingFundSource source;

    @BeforeEach
    void setUp() throws SQLException {
        String url = HousingFundFixtures.freshH2Url();
        centre = HousingFundFixtures.open(url);
        HousingFundFixtures.createTables(centre);
        HousingFundProperties props = new HousingFundProperties(true, url, "sa", "", Duration.ofHours(1),
                Duration.ofHours(1), 100, 1000, Duration.ofSeconds(90), "", 2, Duration.ofMillis(500),
                Duration.ofSeconds(10), "0 30 2 * * *");
        HousingFundReconciliation reconciliation = new HousingFundReconciliation(props, stored, runs, gateway, clock);
        source = new HousingFundSource(props, new AdapterMonitor(), gateway, watermarks, clock,
                (c, timeout) -> clock.beijing(), reconciliation);
        watermarks.reset(HousingFundMapper.ADAPTER_ID);
        hubDb.update("DELETE FROM source_reconciliation");
    }

    @AfterEach
    void tearDown() throws SQLException {
        source.destroy();
        centre.close();
    }

    @Test
    void rowsTheWatermarkMissedAreReadAgainByTheNightlyReconciliation_andItsFiguresAreOnTheBoard() throws Exception {
        withdrawal("RC-A", "2026-03-12 10:00:00", "01");
        withdrawal("RC-B", "2026-03-12 10:00:00", "01");
        source.poll(); // pass at 10:05:00: settled 10:03:30
        awaitStored("housing-fund:TQ-RC-A", "housing-fund:TQ-RC-B");

        // Missed: a row committed long after its GXSJ (10:01, already settled), and RC-B changed without a new GXSJ.
        withdrawal("RC-LATE", "2026-03-12 10:01:00", "01");
        try (PreparedStatement ps = centre.prepareStatement("UPDATE GJJ_TQ SET TQLX = '02' WHERE TQBH = 'RC-B'")) {
            ps.executeUpdate();
        }
        clock.advance(Duration.ofMinutes(5));
        source.poll();
        assertThat(stored("housing-fund:TQ-RC-LATE")).as("the passes do not see it").isZero();
        assertThat(runs.last(HousingFundMapper.ADAPTER_ID)).as("not yet 02:30").isEmpty();

        // The night comes: the poll after 02:30 reconciles.
        clock.advance(Duration.ofHours(16).plusMinutes(30)); // 2026-03-13 02:40
        source.poll();
        awaitStored("housing-fund:TQ-RC-LATE");
        // RC-B as the centre holds it now: a rent withdrawal.
        await().atMost(Duration.ofSeconds(20)).until(() -> hubDb.queryForObject("SELECT COUNT(*) FROM record"
                + " WHERE record_id = 'housing-fund:TQ-RC-B' AND body LIKE '%GJJ-TQ-02%'", Integer.class) == 1);
        ReconciliationLog.Run run = runs.last(HousingFundMapper.ADAPTER_ID).orElseThrow();
        assertThat(run.checked()).isEqualTo(3);
        assertThat(run.missing()).isEqualTo(2);
        assertThat(run.reread()).isEqualTo(2);
        assertThat(run.error()).isNull();

        JsonNode board = Viewer.json("http://127.0.0.1:" + port, "/api/v1/adapters");
        JsonNode row = null;
        for (JsonNode item : board.path("items")) {
            if (HousingFundMapper.ADAPTER_ID.equals(item.path("adapter").asText())) {
                row = item;
            }
        }
        assertThat(row).isNotNull();
        assertThat(row.path("reconciliation").path("checked").asLong()).isEqualTo(3);
        assertThat(row.path("reconciliation").path("missing").asLong()).isEqualTo(2);
        assertThat(row.path("reconciliation").path("reread").asLong()).isEqualTo(2);
        assertThat(row.path("reconciliation").path("lastRunAt").asText()).isNotBlank();

        // Not again the same night; the next night finds everything held.
        source.poll();
        assertThat(runs.last(HousingFundMapper.ADAPTER_ID).orElseThrow().startedAt()).isEqualTo(run.startedAt());
        clock.advance(Duration.ofDays(1));
        source.poll();
        ReconciliationLog.Run next = runs.last(HousingFundMapper.ADAPTER_ID).orElseThrow();
        assertThat(next.startedAt()).isAfter(run.startedAt());
        assertThat(next.checked()).isEqualTo(3);
        assertThat(next.missing()).isZero();
    }

    private void awaitStored(String... recordIds) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (String id : recordIds) {
                if (stored(id) == 0) {
                    return false;
                }
            }
            return true;
        });
    }

    private int stored(String recordId) {
        Integer n = hubDb.queryForObject("SELECT COUNT(*) FROM record WHERE record_id = ?", Integer.class, recordId);
        return n == null ? 0 : n;
    }

    private void withdrawal(String key, String gxsj, String reason) throws SQLException {
        try (PreparedStatement ps = centre.prepareStatement("INSERT INTO GJJ_TQ (TQBH, ZGXM, SFZH, TQLX, TQJE, SQSJ,"
                + " ZT, XZQH, GXSJ) VALUES (?, '某人', ?, ?, 1000.00, '2026-03-12 09:00:00', '0', '370702', ?)")) {
            ps.setString(1, key);
            ps.setString(2, VALID_ID);
            ps.setString(3, reason);
            ps.setString(4, gxsj);
            ps.executeUpdate();
        }
    }
}
