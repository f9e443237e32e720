package yingyan.adapters.hubfeed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import yingyan.ingest.FixtureMapper;
import yingyan.spi.IngestGateway;
import yingyan.spi.SourceItem;
import yingyan.store.WatermarkStore;
import yingyan.testsupport.Hubs;

/**
 * County → city in one JVM: a county hub (Shouguang) fed by a department, and a city hub whose hub-feed
 * adapter reads the county's feed. The city ends with exactly the county's records — same recordIds, same
 * bodies with the county's lineage — also when the county keeps changing records while the city pages.
 */
class HubFeedTwoHubsTest {

    @Test
    void theCityEndsWithExactlyTheCountysRecords() throws Exception {
        // Boot numbers embedded brokers 0, 1, 2, … per context in this JVM (cached test contexts stay up): two ids
        // far above that range, so neither in-VM acceptor meets one already registered.
        try (ConfigurableApplicationContext county = Hubs.start(Map.of(
                "camel.main.name", "county",
                "spring.artemis.embedded.server-id", "9021"), FixtureMapper.Config.class)) {
            IngestGateway countyGateway = county.getBean(IngestGateway.class);
            JdbcTemplate countyDb = county.getBean(JdbcTemplate.class);
            countyGateway.submit(items(1, 7, "2026-03-01 10:00:00"));
            await().atMost(Duration.ofSeconds(60)).until(() -> count(countyDb, "record") == 7);

            int countyPort = ((WebServerApplicationContext) county).getWebServer().getPort();
            try (ConfigurableApplicationContext city = Hubs.start(Map.of(
                    "camel.main.name", "city",
                    "spring.artemis.embedded.server-id", "9022",
                    "hub.adapters.hub-feed.enabled", "true",
                    "hub.adapters.hub-feed.base-url", "http://127.0.0.1:" + countyPort,
                    "hub.adapters.hub-feed.consumer", "shouguang-approvals",
                    "hub.adapters.hub-feed.password", "shouguang-secret",
                    "hub.adapters.hub-feed.poll-interval", "300ms",
                    "hub.adapters.hub-feed.page-limit", "3"))) {
                JdbcTemplate cityDb = city.getBean(JdbcTemplate.class);
                // While the city reads, the county changes records and gets new ones.
                countyGateway.submit(items(5, 12, "2026-03-02 10:00:00"));
                countyGateway.submit(items(3, 4, "2026-03-03 10:00:00"));
                await().atMost(Duration.ofSeconds(60)).until(() -> count(countyDb, "record_version") == 7 + 8 + 2);

                await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                        assertThat(records(cityDb)).isEqualTo(records(countyDb)));
                assertThat(records(cityDb)).hasSize(12).allSatisfy(r -> assertThat(r).startsWith("fixture:SG-"));
                // Every county version arrived once, in the county's order.
                assertThat(versions(cityDb)).isEqualTo(versions(countyDb));
                assertThat(count(cityDb, "quarantine")).isZero();
                assertThat(city.getBean(WatermarkStore.class).get(HubFeedProperties.ADAPTER_ID)).isPresent();
            }
        }
    }

    private static List<SourceItem> items(int from, int to, String updatedAt) {
        List<SourceItem> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(FixtureMapper.item("SG-" + i, updatedAt, i + ".00", "370783"));
        }
        return out;
    }

    private static int count(JdbcTemplate db, String table) {
        return db.queryForObject("SELECT COUNT(*) FROM " + table, Integer.class);
    }

    private static List<String> records(JdbcTemplate db) {
        return db.queryForList("SELECT record_id || ' ' || body FROM record ORDER BY record_id", String.class);
    }

    private static List<String> versions(JdbcTemplate db) {
        return db.queryForList("SELECT record_id || '@' || payload_sha256 FROM record_version ORDER BY seq",
                String.class);
    }
}
