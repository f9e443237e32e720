package yingyan.adapters.approvals;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import yingyan.canonical.CanonicalTime;
import yingyan.spi.AdapterMonitor;
import yingyan.store.WatermarkStore;
import yingyan.testsupport.FakeApprovalsSystem;

/**
 * A batch job stamped thousands of cases with one second (here 21 pages of 500), and the approval system is busy:
 * a case is updated on every other request the hub makes, so the second's pages keep shifting under the hub
 * while it pages through them. The pass must still get through that second and everything after it.
 */
@SpringBootTest(properties = {
        "hub.adapters.approvals.enabled=false",
        "hub.adapters.approvals.poll-interval=1h",
        "hub.adapters.approvals.api-key=" + ApprovalsBusySecondTest.KEY,
        "hub.adapters.approvals.page-size=500",
        "hub.adapters.approvals.overlap=90s",
        "hub.adapters.approvals.start-from=",
        "hub.adapters.approvals.read-timeout=30s"})
@ActiveProfiles("test")
class ApprovalsBusySecondTest {
    static final String KEY = "busy-second-api-key";
    static final String ID = ApprovalsProperties.ADAPTER_ID;
    static final FakeApprovalsSystem FAKE = new FakeApprovalsSystem(KEY);
    static final WireMockServer WIREMOCK = FAKE.wireMock();
    static final DateTimeFormatter SOURCE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Autowired ApprovalsSource source;
    @Autowired JdbcTemplate jdbc;
    @Autowired WatermarkStore watermarks;
    @Autowired AdapterMonitor monitor;

    @DynamicPropertySource
    static void wiremock(DynamicPropertyRegistry registry) {
        registry.add("hub.adapters.approvals.base-url", () -> "http://127.0.0.1:" + WIREMOCK.port());
    }

    @AfterAll
    static void stopWiremock() {
        WIREMOCK.stop();
    }

    @Test
    void aPassGetsThroughALargeSameSecondGroupWhileCasesKeepMoving() {
        FAKE.reset();
        WIREMOCK.stubFor(get(urlPathEqualTo("/api/cases")).willReturn(aResponse().withTransformers(FakeApprovalsSystem.ANSWER)));
        LocalDateTime batch = LocalDateTime.of(2026, 9, 20, 2, 0, 0);
        List<String> group = new ArrayList<>();
        for (int i = 1; i <= 21 * 500; i++) {
            String caseNo = "BJ-%05d".formatted(i);
            FAKE.add(ApprovalsFixtures.orgCase(caseNo, SOURCE.format(batch)));
            group.add(caseNo);
        }
        // The day goes on after the batch job: 300 cases, one per second.
        for (int i = 1; i <= 300; i++) {
            FAKE.add(ApprovalsFixtures.orgCase("DAY-%03d".formatted(i), SOURCE.format(batch.plusSeconds(i))));
        }
        // On every other request one case of the batch is handled (any one: before or after the hub's place in
        // the second) and so leaves the second for a later one: everything behind it moves one place up.
        Random random = new Random(15);
        AtomicInteger moves = new AtomicInteger();
        AtomicBoolean busy = new AtomicBoolean(true);
        FAKE.beforeAnswer((n, r) -> {
            if (busy.get() && n % 2 == 0 && !group.isEmpty()) {
                String caseNo = group.remove(random.nextInt(group.size()));
                FAKE.update(caseNo, SOURCE.format(batch.plusHours(1).plusSeconds(moves.incrementAndGet())), "办结");
            }
        });

        source.poll();

        AdapterMonitor.AdapterState s = monitor.state(ID);
        assertThat(s.failing()).as("the pass failed: %s", s.lastError()).isFalse();
        assertThat(moves.get()).as("the source was busy while the hub paged").isGreaterThanOrEqualTo(20);
        // Cases handled after the pass's last request are for the next poll, which reads them from the watermark.
        busy.set(false);
        s.pollNow();
        source.poll();
        assertThat(s.failing()).as("the next poll failed: %s", s.lastError()).isFalse();

        Map<String, String> expected = new HashMap<>();
        FAKE.cases().forEach(c -> expected.put(c.path("caseNo").asText(), c.path("updatedAt").asText()));
        assertThat(expected).hasSize(21 * 500 + 300);
        awaitDrained();
        Map<String, String> stored = new HashMap<>();
        jdbc.query("SELECT source_key, updated_at FROM record WHERE adapter = ?", rs -> {
            stored.put(rs.getString(1), rs.getObject(2, OffsetDateTime.class)
                    .atZoneSameInstant(CanonicalTime.BEIJING).toLocalDateTime().format(SOURCE));
        }, ID);
        assertThat(stored).as("every case, each at its newest update").isEqualTo(expected);
        // No doubles: one stored version per case and update time.
        assertThat(jdbc.queryForList("SELECT record_id, updated_at FROM record_version WHERE adapter = ?"
                + " GROUP BY record_id, updated_at HAVING COUNT(*) > 1", ID)).isEmpty();
    }

    private void awaitDrained() {
        await().atMost(Duration.ofMinutes(3)).until(() -> {
            Long processed = jdbc.queryForObject("SELECT COALESCE(SUM(applied + duplicates + stale), 0)"
                    + " FROM ingest_counter WHERE adapter = ?", Long.class, ID);
            return processed != null && processed == monitor.state(ID).queuedTotal();
        });
    }
}
