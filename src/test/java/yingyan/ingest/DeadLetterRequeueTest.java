package yingyan.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Import;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import yingyan.spi.IngestGateway;

/**
 * A batch the database refuses on every delivery ends in the dead-letter queue (embedded broker); the
 * operator sees it (console API, {@code yingyan_dlq_messages}), fixes the cause, and moves it back: it is
 * stored, the dead-letter queue is empty, and the move is in the audit log. Viewers may look, not move.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.persist.split-after-attempts=10", "hub.broker.max-delivery-attempts=2"})
@ActiveProfiles("test")
@Import(FixtureMapper.Config.class)
class DeadLetterRequeueTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    IngestGateway gateway;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TestRestTemplate http;
    @Autowired
    MeterRegistry meters;

    @Test
    void aDeadLetteredBatchIsListedCountedAndAfterTheFixMovedBackAndStored() throws Exception {
        // 280 characters: a valid source key that this schema's source_key column (256) cannot hold.
        String longKey = "L" + "y".repeat(279);
        gateway.submit(List.of(FixtureMapper.item(longKey, "2026-03-01 10:00:00", "1.00")));

        await().atMost(WAIT).until(() -> letters().size() == 1);
        JsonNode letter = letters().get(0);
        assertThat(letter.get("from").asText()).isEqualTo("yingyan.ingest");
        assertThat(letter.get("adapter").asText()).isEqualTo("fixture");
        assertThat(letter.get("records").asInt()).isEqualTo(1);
        await().atMost(WAIT).until(() -> meters.get("yingyan.dlq.messages").gauge().value() == 1.0);
        String id = letter.get("messageId").asText();

        ResponseEntity<String> viewer = http.withBasicAuth("viewer", "viewer-secret")
                .postForEntity("/api/v1/dead-letters/" + id + "/requeue", null, String.class);
        assertThat(viewer.getStatusCode().value()).isEqualTo(403);

        // The fix: the column is widened.
        jdbc.execute("ALTER TABLE record ALTER COLUMN source_key SET DATA TYPE VARCHAR(300)");
        jdbc.execute("ALTER TABLE record_version ALTER COLUMN source_key SET DATA TYPE VARCHAR(300)");

        ResponseEntity<String> moved = http.withBasicAuth("operator", "operator-secret")
                .postForEntity("/api/v1/dead-letters/" + id + "/requeue", null, String.class);
        assertThat(moved.getStatusCode().value()).as(moved.getBody()).isEqualTo(200);
        assertThat(JSON.readTree(moved.getBody()).get("state").asText()).isEqualTo("MOVED");

        await().atMost(WAIT).until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM record WHERE source_key = ?",
                Integer.class, longKey) == 1);
        assertThat(letters()).isEmpty();
        await().atMost(WAIT).until(() -> meters.get("yingyan.dlq.messages").gauge().value() == 0.0);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_log WHERE actor = 'operator' AND action = ?"
                        + " AND target LIKE ? AND outcome LIKE 'HTTP 200: MOVED%'", Integer.class,
                "POST /api/v1/dead-letters/{messageId}/requeue", "%" + id + "%")).isEqualTo(1);

        ResponseEntity<String> again = http.withBasicAuth("operator", "operator-secret")
                .postForEntity("/api/v1/dead-letters/" + id + "/requeue", null, String.class);
        assertThat(again.getStatusCode().value()).isEqualTo(404);
    }

    private List<JsonNode> letters() throws Exception {
        ResponseEntity<String> r = http.withBasicAuth("viewer", "viewer-secret")
                .getForEntity("/api/v1/dead-letters", String.class);
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(r.getBody()).get("items").forEach(out::add);
        return out;
    }
}
