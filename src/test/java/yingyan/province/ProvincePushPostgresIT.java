package yingyan.province;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import yingyan.ingest.FixtureMapper;
import yingyan.spi.IngestGateway;
import yingyan.spi.SourceItem;
import yingyan.testsupport.FakeProvince;
import yingyan.testsupport.Services;

/**
 * The ledger on the production database: versions keep arriving (new records and newer versions of
 * ones already waiting or in flight) while the sender forms and sends batches. Every record ends with its
 * newest version accepted; a superseded version was never sent; every sent version is filed once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(FixtureMapper.Config.class)
class ProvincePushPostgresIT {
    static final FakeProvince province = new FakeProvince().checkingFees();
    static final WireMockServer wm = province.wireMock();

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        String url = Services.freshPostgresDatabase("yingyan_it");
        r.add("spring.datasource.url", () -> url);
        r.add("spring.datasource.username", Services::pgUser);
        r.add("spring.datasource.password", () -> "");
        r.add("hub.persist.concurrent-consumers", () -> "3");
        r.add("hub.province.enabled", () -> "true");
        r.add("hub.province.base-url", wm::baseUrl);
        r.add("hub.province.batch-max-records", () -> "7");
        r.add("hub.province.poll-interval", () -> "20");
        r.add("hub.province.initial-backoff", () -> "50ms");
        r.add("hub.province.max-backoff", () -> "500ms");
    }

    @AfterAll
    static void stop() {
        province.close();
    }

    @Autowired
    IngestGateway gateway;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void versionsArrivingWhileSendingEndWithTheNewestOfEachAcceptedAndNothingSentTwice() throws Exception {
        wm.stubFor(post(urlEqualTo(ProvincePushTest.PATH))
                .willReturn(aResponse().withStatus(200).withFixedDelay(15).withTransformers(FakeProvince.ANSWER)));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<?>> work = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            int writer = w;
            work.add(pool.submit(() -> {
                for (int round = 0; round < 10; round++) {
                    List<SourceItem> items = new ArrayList<>();
                    for (int i = 0; i < 8; i++) {
                        // 8 records shared by all writers, each round a newer version of them.
                        items.add(FixtureMapper.item("PG-" + i, String.format("2026-03-01 10:%02d:%02d", round, writer),
                                round + "." + writer + "0"));
                    }
                    gateway.submit(items);
                }
                return null;
            }));
        }
        for (Future<?> f : work) {
            f.get();
        }
        pool.shutdown();
        assertThat(jdbc.queryForObject("SELECT version()", String.class)).startsWith("PostgreSQL");

        await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM province_delivery"
                + " WHERE state NOT IN ('ACCEPTED', 'SUPERSEDED')", Integer.class) == 0
                && jdbc.queryForObject("SELECT COUNT(*) FROM record", Integer.class) == 8
                && jdbc.queryForObject("SELECT COUNT(*) FROM province_delivery", Integer.class).equals(
                jdbc.queryForObject("SELECT COUNT(*) FROM record_version", Integer.class)));

        // The newest version of every record is accepted.
        List<Map<String, Object>> newest = jdbc.queryForList("SELECT d.record_id, d.state FROM province_delivery d"
                + " WHERE d.seq = (SELECT MAX(n.seq) FROM province_delivery n WHERE n.record_id = d.record_id)");
        assertThat(newest).hasSize(8).allSatisfy(m -> assertThat(m.get("state")).isEqualTo("ACCEPTED"));
        // A superseded version was never in a batch.
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM province_delivery WHERE state = 'SUPERSEDED'"
                + " AND batch_id IS NOT NULL", Integer.class)).isZero();

        // What was sent: each batch once (by key), each (record, payload) once; exactly the accepted versions.
        ObjectMapper json = new ObjectMapper();
        Set<String> keys = new HashSet<>();
        List<String> sent = new ArrayList<>();
        for (ServeEvent e : wm.getAllServeEvents()) {
            if (e.getResponse().getStatus() == 200 && keys.add(e.getRequest().getHeader("Idempotency-Key"))) {
                for (JsonNode r : json.readTree(e.getRequest().getBody()).get("records")) {
                    sent.add(r.get("recordId").asText() + "@" + r.get("source").get("payloadSha256").asText());
                }
            }
        }
        assertThat(sent).doesNotHaveDuplicates();
        List<String> accepted = jdbc.queryForList("SELECT d.record_id || '@' || v.payload_sha256 FROM province_delivery d"
                + " JOIN record_version v ON v.seq = d.seq WHERE d.state = 'ACCEPTED'", String.class);
        assertThat(sent).containsExactlyInAnyOrderElementsOf(accepted);
    }
}
