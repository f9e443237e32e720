package yingyan.adapters.housingfund;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import yingyan.canonical.InvalidSourceException;
import yingyan.ingest.Normaliser;
import yingyan.spi.AdapterMonitor;
import yingyan.spi.SourceItem;

/**
 * The quick start's stand-in for the centre: the demo database filled from test-data/housing-fund/
 * and read through the adapter's usual JDBC path gives the golden cases' records and quarantined rows.
 */
class HousingFundDemoTest {

    @Test
    void theDemoDatabaseHoldsEveryCaseAndTheAdapterReadsItAll() throws Exception {
        HousingFundProperties props = new HousingFundProperties(true,
                "jdbc:h2:mem:housing-fund-demo-" + UUID.randomUUID() + ";MODE=MariaDB;DB_CLOSE_DELAY=-1",
                "gjj_reader", "demo-only-housing-fund-password", Duration.ofSeconds(10), Duration.ofSeconds(5), 500,
                100000, Duration.ofSeconds(90), "", 2, Duration.ofSeconds(5), Duration.ofSeconds(60), "");
        HousingFundDemo demo = new HousingFundDemo(props, new MockEnvironment().withProperty("hub.demo.data-dir",
                "test-data"));
        demo.fill();
        HousingFundSourceTest.RecordingGateway gateway = new HousingFundSourceTest.RecordingGateway();
        HousingFundSource source = new HousingFundSource(props, new AdapterMonitor(), gateway,
                new HousingFundSourceTest.MemoryWatermarks(),
                new HousingFundSourceTest.MutableClock(LocalDateTime.of(2026, 4, 1, 0, 0)));
        try {
            source.poll();
        } finally {
            source.destroy();
            demo.close();
        }

        Normaliser normaliser = HousingFundFixtures.normaliser();
        List<String> stored = gateway.items.stream().filter(i -> maps(normaliser, i)).map(SourceItem::sourceKey)
                .toList();
        // Every row of every test-data case: each expected either as a record or as a quarantined item.
        int records = 0;
        int quarantined = 0;
        try (var cases = java.nio.file.Files.newDirectoryStream(java.nio.file.Path.of("test-data/housing-fund"))) {
            for (java.nio.file.Path c : cases) {
                var expected = new com.fasterxml.jackson.databind.ObjectMapper().readTree(c.resolve("expected.json").toFile());
                records += expected.get("records").size();
                quarantined += expected.get("quarantined").size();
            }
        }
        assertThat(stored).hasSize(records).contains("TQ-TQ2026030001", "DK-DK2026030005", "TQ-TQ2026039006");
        assertThat(gateway.items).hasSize(records + quarantined);
    }

    private static boolean maps(Normaliser n, SourceItem item) {
        try {
            n.mapOne(item);
            return true;
        } catch (InvalidSourceException e) {
            return false;
        }
    }
}
