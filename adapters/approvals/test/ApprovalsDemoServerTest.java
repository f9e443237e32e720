package yingyan.adapters.approvals;

import yingyan.spi.ExactJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** The demo server keeps the API contract, over real HTTP on the loopback interface. */
class ApprovalsDemoServerTest {
    private static final String KEY = "demo-server-test-key";
    private final HttpClient http = HttpClient.newHttpClient();
    private ApprovalsDemoServer server;

    @BeforeEach
    void start() throws Exception {
        ApprovalsProperties props = new ApprovalsProperties(true, "http://127.0.0.1:1", KEY,
                java.time.Duration.ofSeconds(30), 200, java.time.Duration.ofSeconds(90), "",
                java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(30), 5, java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(30), DataSize.ofMegabytes(64));
        server = new ApprovalsDemoServer(new ApprovalsDemoProperties(true, 0, "test-data"), props);
        server.afterPropertiesSet();
    }

    @AfterEach
    void stop() {
        server.destroy();
    }

    @Test
    void servesEverySampleCaseOncePagedInContractOrder() throws Exception {
        List<JsonNode> all = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonNode body = ok("/api/cases?page=" + page + "&size=7");
            body.path("items").forEach(all::add);
            if (body.path("items").size() < 7) {
                assertThat(body.path("total").asInt()).isEqualTo(all.size());
                break;
            }
        }
        assertThat(all).hasSizeGreaterThan(20);
        for (int i = 1; i < all.size(); i++) {
            String a = all.get(i - 1).path("updatedAt").asText("") + " " + all.get(i - 1).path("caseNo").asText("");
            String b = all.get(i).path("updatedAt").asText("") + " " + all.get(i).path("caseNo").asText("");
            assertThat(a).isLessThanOrEqualTo(b);
        }
        assertThat(all.stream().map(n -> n.path("caseNo").asText()).filter(s -> !s.isEmpty()).distinct().count())
                .isEqualTo(all.stream().filter(n -> !n.path("caseNo").asText().isEmpty()).count());
    }

    @Test
    void updatedSinceIsInclusive() throws Exception {
        JsonNode body = ok("/api/cases?updatedSince=2026-03-10%2009:00:03&size=500");
        assertThat(body.path("items").get(0).path("caseNo").asText()).isEqualTo("SG-2026-000123");
        body.path("items").forEach(n -> assertThat(n.path("updatedAt").asText()).isGreaterThanOrEqualTo(
                "2026-03-10 09:00:03"));
    }

    @Test
    void refusesAWrongKeyAndAnOversizedPage() throws Exception {
        assertThat(get("/api/cases", "wrong").statusCode()).isEqualTo(401);
        assertThat(get("/api/cases", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/cases?size=501", KEY).statusCode()).isEqualTo(400);
        assertThat(get("/api/cases?size=500", KEY).statusCode()).isEqualTo(200);
    }

    /**
     * The shifted sample case (docs/supervision.md, "The quick start's alerts") is served a minute before the
     * start, every time moved by one amount; the other cases keep their dates.
     */
    @Test
    void theShiftedCaseIsMovedToAMinuteBeforeTheStartAndTheOthersStay() throws Exception {
        Instant start = Instant.parse("2027-01-04T01:30:00Z"); // 09:30 Beijing time
        List<JsonNode> cases = ApprovalsDemoServer.load(Path.of("test-data", "approvals"), start);

        JsonNode shifted = byCase(cases, "SG-2026-000902");
        assertThat(shifted.path("updatedAt").asText()).isEqualTo("2027-01-04 09:29:00");
        assertThat(shifted.path("acceptedAt").asText()).isEqualTo("2027-01-04 09:28:55");
        assertThat(shifted.path("receivedAt").asText()).isEqualTo("2027-01-04 09:28:25");
        assertThat(shifted.path("decidedAt").isNull()).isTrue();
        assertThat(byCase(cases, "SG-2026-000901").path("acceptedAt").asText()).isEqualTo("2026-09-24 09:30:00");
    }

    private static JsonNode byCase(List<JsonNode> cases, String caseNo) {
        return cases.stream().filter(c -> c.path("caseNo").asText().equals(caseNo)).findFirst().orElseThrow();
    }

    @Test
    void listensOnLoopbackOnly() {
        assertThat(server.address().getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
    }

    private JsonNode ok(String pathAndQuery) throws Exception {
        HttpResponse<byte[]> r = get(pathAndQuery, KEY);
        assertThat(r.statusCode()).isEqualTo(200);
        return ExactJson.read(r.body());
    }

    private HttpResponse<byte[]> get(String pathAndQuery, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort()
                + pathAndQuery));
        if (key != null) {
            b.header("X-Api-Key", key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
