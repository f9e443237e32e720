package yingyan.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A person with the test profile's VIEWER role looking at a running hub over HTTP (health details, the APIs). */
public final class Viewer {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AUTH = "Basic " + Base64.getEncoder()
            .encodeToString("viewer:viewer-secret".getBytes(StandardCharsets.UTF_8));

    private Viewer() {
    }

    public static HttpResponse<String> get(String baseUrl, String path) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", AUTH).GET().build();
        try {
            return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    public static JsonNode json(String baseUrl, String path) throws IOException {
        return JSON.readTree(get(baseUrl, path).body());
    }

    /** An adapter's health: the reason while it is DOWN, "" otherwise. */
    public static String downReason(String baseUrl, String adapter) throws IOException {
        JsonNode h = json(baseUrl, "/actuator/health/adapters/" + adapter);
        return "DOWN".equals(h.path("status").asText()) ? h.path("details").path("reason").asText("DOWN") : "";
    }

    /** What an adapter has durably queued since the hub started (its health details), -1 if not said. */
    public static long queued(String baseUrl, String adapter) throws IOException {
        JsonNode q = json(baseUrl, "/actuator/health/adapters/" + adapter).path("details").path("queued");
        return q.isNumber() ? q.asLong() : -1;
    }
}
