package yingyan.adapters.hubfeed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import yingyan.canonical.CanonicalJson;

/** The quick start's demo county answers like a hub's feed: Basic auth, every sample item once, next never null. */
class HubFeedDemoServerTest {

    @Test
    void servesEverySampleItemOnceThroughTheFeedContract() throws Exception {
        HubFeedProperties props = new HubFeedProperties(true, "http://127.0.0.1:1", "city", "demo-pw",
                Duration.ofSeconds(1), 2, 10, Duration.ofSeconds(5), Duration.ofSeconds(5),
                DataSize.ofMegabytes(64));
        HubFeedDemoServer server = new HubFeedDemoServer(props, 0, "test-data");
        server.afterPropertiesSet();
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port() + "/api/v1/feed?limit=2";
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);

            String auth = "Basic " + Base64.getEncoder().encodeToString("city:demo-pw".getBytes(StandardCharsets.UTF_8));
            List<JsonNode> seen = new ArrayList<>();
            String cursor = null;
            while (true) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base
                                + (cursor == null ? "" : "&after=" + cursor))).header("Authorization", auth).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                JsonNode page = CanonicalJson.mapper().readTree(r.body());
                page.get("items").forEach(seen::add);
                assertThat(page.get("next").isTextual()).isTrue();
                if (page.get("items").size() < 2) {
                    assertThat(page.get("next").asText()).isEqualTo(page.get("items").isEmpty() && cursor != null
                            ? cursor : page.get("next").asText());
                    break;
                }
                cursor = page.get("next").asText();
            }
            assertThat(seen).containsExactlyElementsOf(
                    HubFeedDemoServer.load(Path.of("test-data", HubFeedProperties.ADAPTER_ID)));
            assertThat(seen).hasSizeGreaterThanOrEqualTo(7);
        } finally {
            server.destroy();
        }
    }
}
