package yingyan.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import yingyan.canonical.Domain;
import yingyan.feed.FeedFixtures;
import yingyan.store.RecordStore;

/**
 * Both hash chains as written: every applied version's stored chain hash is what {@link HashChain}
 * recomputes from the row and its predecessor, and every operator action taken through the API lands in
 * the audit log — who, what, on what, outcome — chained the same way and listed to viewers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.application.name=audit-trail-test")
@ActiveProfiles("test")
class AuditTrailTest {
    @Autowired
    RecordStore store;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    AuditLog audit;
    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyAppliedVersionIsTheNextLinkOfTheHistoryChain() {
        store.apply(List.of(FeedFixtures.rec("C-1", 1, "370783", Domain.APPROVAL),
                FeedFixtures.rec("C-2", 1, "370700", Domain.HOUSING_FUND)));
        store.apply(List.of(FeedFixtures.rec("C-1", 2, "370783", Domain.APPROVAL),
                FeedFixtures.rec("C-1", 1, "370783", Domain.APPROVAL)));

        String prev = HashChain.GENESIS;
        long lastSeq = 0;
        int rows = 0;
        for (var r : jdbc.queryForList("SELECT * FROM record_version ORDER BY seq")) {
            long seq = ((Number) r.get("seq")).longValue();
            String expected = HashChain.version(prev, seq, (String) r.get("record_id"), (String) r.get("domain"),
                    (String) r.get("region_code"), (String) r.get("adapter"), (String) r.get("source_key"),
                    time(r.get("updated_at")), (String) r.get("payload_sha256"), time(r.get("fetched_at")),
                    time(r.get("applied_at")), (Boolean) r.get("conflict"), (String) r.get("body"));
            assertThat(r.get("chain_hash")).as("chain hash of seq %d", seq).isEqualTo(expected);
            assertThat(seq).isGreaterThan(lastSeq);
            prev = expected;
            lastSeq = seq;
            rows++;
        }
        assertThat(rows).as("three versions applied, the stale one not").isGreaterThanOrEqualTo(3);
        assertThat(jdbc.queryForObject("SELECT chain_head FROM feed_lock WHERE id = 1", String.class)).isEqualTo(prev);
        assertThat(jdbc.queryForObject("SELECT last_seq FROM feed_lock WHERE id = 1", Long.class)).isEqualTo(lastSeq);
    }

    @Test
    void anOperatorsActionIsAuditedWithItsOutcomeAndChainedAndViewersCanReadTheLog() throws Exception {
        HttpResponse<String> release = send("operator", "operator-secret",
                HttpRequest.newBuilder(uri("/api/v1/quarantine/987654/release")).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(release.statusCode()).isEqualTo(404);
        HttpResponse<String> refused = send("viewer", "viewer-secret",
                HttpRequest.newBuilder(uri("/api/v1/quarantine/987654/release")).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(refused.statusCode()).isEqualTo(403);

        HttpResponse<String> listed = send("viewer", "viewer-secret",
                HttpRequest.newBuilder(uri("/api/v1/audit?actor=operator&limit=5")).GET());
        assertThat(listed.statusCode()).isEqualTo(200);
        JsonNode first = new ObjectMapper().readTree(listed.body()).get("items").get(0);
        assertThat(first.get("actor").asText()).isEqualTo("operator");
        assertThat(first.get("action").asText()).isEqualTo("POST /api/v1/quarantine/{id}/release");
        assertThat(first.get("target").asText()).isEqualTo("/api/v1/quarantine/987654/release");
        assertThat(first.get("outcome").asText()).isEqualTo("HTTP 404: NOT_FOUND (no quarantined item 987654)");

        List<AuditEntry> all = audit.all();
        String prev = HashChain.GENESIS;
        for (AuditEntry e : all) {
            assertThat(e.prevHash()).isEqualTo(prev);
            assertThat(e.entryHash()).isEqualTo(HashChain.action(prev, e.seq(), e.at(), e.actor(), e.action(),
                    e.target(), e.outcome()));
            prev = e.entryHash();
        }
        assertThat(all).noneMatch(e -> e.actor().equals("viewer"));
        assertThat(jdbc.queryForObject("SELECT head FROM audit_head WHERE id = 1", String.class)).isEqualTo(prev);
    }

    @Test
    void aResidentIdInTheTargetIsMaskedHoweverTheClientEscapedIt() throws Exception {
        String id = "11010519491231002X";
        StringBuilder escaped = new StringBuilder();
        id.chars().forEach(c -> escaped.append('%').append(Integer.toHexString(c).toUpperCase()));
        HttpResponse<String> release = send("operator", "operator-secret", HttpRequest.newBuilder(
                uri("/api/v1/quarantine/987655/release?note=" + escaped)).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(release.statusCode()).isEqualTo(404);

        AuditEntry entry = audit.all().stream().filter(e -> e.target().contains("987655")).findFirst().orElseThrow();
        assertThat(entry.target()).isEqualTo("/api/v1/quarantine/987655/release?note=110105********002X");
        assertThat(entry.target()).doesNotContain(escaped.toString());
    }

    private static OffsetDateTime time(Object o) {
        return o instanceof OffsetDateTime t ? t : ((java.sql.Timestamp) o).toInstant().atOffset(java.time.ZoneOffset.UTC);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> send(String user, String password, HttpRequest.Builder b) throws Exception {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return http.send(b.header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.ofString());
    }
}
