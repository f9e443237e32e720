package yingyan.province;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import yingyan.ingest.FixtureMapper;
import yingyan.spi.IngestGateway;
import yingyan.testsupport.FakeProvince;
import yingyan.testsupport.Hubs;

/**
 * The backlog waits durably: a hub stopped while the province is down, started again on the same
 * database, sends the very batch it had stored (same batchId, same bytes) and everything behind it, once.
 */
class ProvinceRestartTest {

    @Test
    void aStoredBatchAndTheBacklogSurviveARestartAndGoOutByteIdentical(@TempDir Path dir) {
        try (FakeProvince province = new FakeProvince().checkingFees()) {
            WireMockServer wm = province.wireMock();
            wm.stubFor(post(urlEqualTo(ProvincePushTest.PATH))
                    .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "1")));
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("spring.datasource.url", "jdbc:h2:file:" + dir.resolve("db/yingyan")
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
            props.put("spring.artemis.embedded.persistent", "true");
            props.put("spring.artemis.embedded.data-directory", dir.resolve("artemis").toString());
            props.put("hub.province.enabled", "true");
            props.put("hub.province.base-url", wm.baseUrl());
            props.put("hub.province.batch-max-records", "2");
            props.put("hub.province.poll-interval", "50");
            props.put("hub.province.initial-backoff", "50ms");
            props.put("hub.province.max-backoff", "1s");

            ConfigurableApplicationContext first = Hubs.start(props, FixtureMapper.Config.class);
            String batchId;
            try {
                first.getBean(IngestGateway.class).submit(List.of(
                        FixtureMapper.item("R-1", "2026-03-01 10:00:00", "1.00"),
                        FixtureMapper.item("R-2", "2026-03-01 10:00:00", "1.00"),
                        FixtureMapper.item("R-3", "2026-03-01 10:00:00", "1.00")));
                JdbcTemplate jdbc = first.getBean(JdbcTemplate.class);
                await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                        "SELECT COUNT(*) FROM province_delivery", Integer.class) == 3
                        && jdbc.queryForObject("SELECT MAX(attempts) FROM province_batch", Integer.class) != null
                        && jdbc.queryForObject("SELECT MAX(attempts) FROM province_batch", Integer.class) >= 2);
                // The batch being retried; the next one may be formed (and failing) beside it: at most max-in-flight.
                assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM province_batch", Integer.class))
                        .isLessThanOrEqualTo(2);
                batchId = jdbc.queryForObject("SELECT batch_id FROM province_batch ORDER BY first_seq"
                        + " FETCH FIRST 1 ROWS ONLY", String.class);
            } finally {
                first.close();
            }
            int whileDown = wm.findAll(postRequestedFor(urlEqualTo(ProvincePushTest.PATH))).size();

            wm.resetAll();
            wm.stubFor(post(urlEqualTo(ProvincePushTest.PATH))
                    .willReturn(aResponse().withStatus(200).withTransformers(FakeProvince.ANSWER)));
            ConfigurableApplicationContext second = Hubs.start(props, FixtureMapper.Config.class);
            try {
                JdbcTemplate jdbc = second.getBean(JdbcTemplate.class);
                await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                        "SELECT COUNT(*) FROM province_delivery WHERE state = 'ACCEPTED'", Integer.class) == 3);
                List<LoggedRequest> sent = wm.findAll(postRequestedFor(urlEqualTo(ProvincePushTest.PATH)));
                sent = sent.stream().sorted(java.util.Comparator.comparing(LoggedRequest::getLoggedDate)).toList();
                assertThat(whileDown).isGreaterThanOrEqualTo(2);
                assertThat(sent).hasSize(2);
                // The stored batch first, under its key, with the body it had before the restart.
                assertThat(sent.get(0).getHeader("Idempotency-Key")).isEqualTo(batchId);
                assertThat(sent.get(0).getBody()).isEqualTo(jdbc.queryForObject(
                        "SELECT body FROM province_batch WHERE batch_id = ?", byte[].class, batchId));
                assertThat(sent.get(1).getHeader("Idempotency-Key")).isNotEqualTo(batchId);
                assertThat(jdbc.queryForList("SELECT b.batch_id FROM province_delivery d JOIN province_batch b"
                        + " ON b.batch_id = d.batch_id ORDER BY d.seq", String.class))
                        .containsExactly(batchId, batchId, sent.get(1).getHeader("Idempotency-Key"));
            } finally {
                second.close();
            }
        }
    }
}
