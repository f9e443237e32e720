package yingyan.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The test profile's people (operator, viewer) calling a hub started by {@code Hubs}. */
final class Http {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    private Http() {
    }

    static String base(ConfigurableApplicationContext hub) {
        return "http://127.0.0.1:" + ((WebServerApplicationContext) hub).getWebServer().getPort();
    }

    static HttpResponse<String> post(ConfigurableApplicationContext hub, String user, String path) throws Exception {
        return HTTP.send(request(hub, user, path).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(ConfigurableApplicationContext hub, String user, String path) throws Exception {
        return HTTP.send(request(hub, user, path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static HttpRequest.Builder request(ConfigurableApplicationContext hub, String user, String path) {
        return HttpRequest.newBuilder(URI.create(base(hub) + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + user + "-secret")
                        .getBytes(StandardCharsets.UTF_8)));
    }
}
