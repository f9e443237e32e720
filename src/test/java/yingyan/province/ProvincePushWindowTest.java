package yingyan.province;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
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

/**
 * Several batches in flight at once against a province that takes its time to answer (as in the benchmark):
 * the window overlaps requests, never breaks the quota as the province counts it, and every version is still
 * filed exactly once; a batch answered 503 while others are out goes again under its key.
 */
@SpringBootTest
@ActiveProfiles("test")
@Import(FixtureMapper.Config.class)
class ProvincePushWindowTest {
    static final int QUOTA = 20;
    static final int WINDOW = 4;
    static final FakeProvince province = new FakeProvince(ProvincePushTest.SECRET).checkingFees();

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("hub.province.enabled", () -> "true");
        r.add("hub.province.base-url", province::baseUrl);
        r.add("hub.province.secret", () -> ProvincePushTest.SECRET);
        r.add("hub.province.batch-max-records", () -> "5");
        r.add("hub.province.requests-per-second", () -> String.valueOf(QUOTA));
        r.add("hub.province.max-in-flight", () -> String.valueOf(WINDOW));
        r.add("hub.province.poll-interval", () -> "50");
        r.add("hub.province.initial-backoff", () -> "200ms");
        r.add("hub.province.max-backoff", () -> "1s");
        r.add("hub.province.breaker-failure-threshold", () -> "3");
        r.add("hub.province.breaker-open-for", () -> "300ms");
    }

    @AfterAll
    static void stop() {
        province.close();
    }

    @Autowired
    IngestGateway gateway;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CamelContext camel;
    @Autowired
    BatchSender sender;

    @BeforeEach
    void reset() throws Exception {
        camel.getRouteController().stopRoute("province-push");
        jdbc.update("DELETE FROM province_delivery");
        jdbc.update("DELETE FROM province_batch");
        sender.resetBreaker();
        province.reset();
        camel.getRouteController().startRoute("province-push");
    }

    @Test
    void slowAnswersOverlap_withinTheQuotaAsTheProvinceCountsIt_andEveryVersionIsAcceptedOnce() throws Exception {
        province.latency(150); // one at a time: under 7 requests/s
        List<String> ids = submit("W", 300);

        await().atMost(Duration.ofSeconds(60)).until(() -> accepted() == 300);

        List<FakeProvince.Request> sent = province.log();
        // More than one request was out at once, never more than the window.
        assertThat(province.maxConcurrent()).isGreaterThan(1).isLessThanOrEqualTo(WINDOW);
        assertThat(overlapping(sent)).isTrue();
        // No 21 starts within any second, as the province saw them.
        for (int i = QUOTA; i < sent.size(); i++) {
            assertThat(sent.get(i).start() - sent.get(i - QUOTA).start())
                    .as("starts %d..%d", i - QUOTA, i).isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(1));
        }
        // Every version ACCEPTED exactly once, each batch sent once, each record in exactly one batch.
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM province_delivery", Integer.class)).isEqualTo(300);
        assertThat(jdbc.queryForList("SELECT record_id FROM province_delivery WHERE state = 'ACCEPTED'"
                + " AND accepted_at IS NOT NULL AND batch_id IS NOT NULL", String.class))
                .hasSize(300).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        assertThat(sent.stream().map(FakeProvince.Request::key)).doesNotHaveDuplicates();
        assertThat(sent.stream().flatMap(r -> r.recordIds().stream())).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(jdbc.queryForList("SELECT DISTINCT state FROM province_batch", String.class)).containsExactly("DONE");
    }

    @Test
    void aBatchAnswered503WhileOthersAreInFlight_goesAgainUnderItsKeyWithItsBytes_andNothingIsFiledTwice()
            throws Exception {
        province.latency(100);
        province.busyOnce("fixture:R-12"); // in the third batch of five
        List<String> ids = submit("R", 40);

        await().atMost(Duration.ofSeconds(60)).until(() -> accepted() == 40);

        List<FakeProvince.Request> sent = province.log();
        List<FakeProvince.Request> retried = sent.stream()
                .filter(r -> r.recordIds().contains("fixture:R-12")).toList();
        assertThat(retried).hasSize(2);
        FakeProvince.Request first = retried.get(0);
        FakeProvince.Request again = retried.get(1);
        assertThat(first.status()).isEqualTo(503);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.key()).isEqualTo(first.key()).isEqualTo(first.batchId());
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.signature()).isEqualTo(first.signature());
        // The others did not wait for it: batches went between its 503 and its resend, some at once.
        assertThat(sent.stream().filter(r -> !r.key().equals(first.key()))
                .anyMatch(r -> r.start() > first.start() && r.start() < again.start())).isTrue();
        assertThat(overlapping(sent)).isTrue();

        // Every version filed once: 40 rows, each ACCEPTED, each record in exactly one 200 answer.
        assertThat(jdbc.queryForList("SELECT record_id FROM province_delivery WHERE state = 'ACCEPTED'", String.class))
                .hasSize(40).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        assertThat(sent.stream().filter(r -> r.status() == 200).flatMap(r -> r.recordIds().stream()))
                .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        Map<String, Object> b = jdbc.queryForMap("SELECT state, attempts, http_status FROM province_batch"
                + " WHERE batch_id = ?", first.key());
        assertThat(b.get("state")).isEqualTo("DONE");
        assertThat(((Number) b.get("attempts")).intValue()).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM province_batch WHERE state <> 'DONE'", Integer.class))
                .isZero();
    }

    @Test
    void aProvinceThatKeepsFailingHoldsAtMostTheWindowOfBatchesFormed() throws Exception {
        province.latency(0);
        province.mode(FakeProvince.Mode.BUSY_503);
        submit("F", 60); // twelve batches' worth

        await().atMost(Duration.ofSeconds(20)).until(() -> province.log().size() >= 6);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() ->
                jdbc.queryForObject("SELECT COUNT(*) FROM province_batch", Integer.class) <= WINDOW);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM province_delivery WHERE state = 'PENDING'",
                Integer.class)).isGreaterThanOrEqualTo(60 - 5 * WINDOW);
        assertThat(province.log().stream().map(FakeProvince.Request::key).distinct().count())
                .isLessThanOrEqualTo(WINDOW);

        province.mode(FakeProvince.Mode.ACCEPT);
        await().atMost(Duration.ofSeconds(30)).until(() -> accepted() == 60);
        assertThat(jdbc.queryForList("SELECT record_id FROM province_delivery WHERE state = 'ACCEPTED'", String.class))
                .hasSize(60).doesNotHaveDuplicates();
    }

    // ---- helpers ----

    private List<String> submit(String prefix, int n) {
        List<String> ids = new ArrayList<>();
        List<SourceItem> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(FixtureMapper.item(prefix + "-" + i, "2026-03-01 10:00:00", "1.00"));
            ids.add("fixture:" + prefix + "-" + i);
            if (items.size() == 100) {
                gateway.submit(List.copyOf(items));
                items.clear();
            }
        }
        if (!items.isEmpty()) {
            gateway.submit(items);
        }
        return ids;
    }

    private int accepted() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM province_delivery WHERE state = 'ACCEPTED'", Integer.class);
    }

    /** Whether some request started before another one (by start time) had been answered. */
    private static boolean overlapping(List<FakeProvince.Request> sent) {
        for (int i = 1; i < sent.size(); i++) {
            if (sent.get(i).start() < sent.get(i - 1).end()) {
                return true;
            }
        }
        return false;
    }
}
