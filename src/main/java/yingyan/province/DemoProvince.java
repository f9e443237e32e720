package yingyan.province;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import yingyan.canonical.JsonLimits;
import yingyan.spi.DemoStandIn;
import yingyan.spi.Payloads;

/**
 * The quick start's stand-in for the provincial system: {@code POST /api/supervision/v1/batches} per
 * docs/contracts/province.md §1 on 127.0.0.1 ({@code hub.demo.province-port}). It checks the signature and that
 * X-Region is the body's region (400 otherwise), refuses over 500 records or 5 MB (413), validates a few
 * fields of each record (rejected E_FIELD naming the field), and keeps every Idempotency-Key: the same
 * key again answers 409 with the original answer, with another body 422. In memory; demo profile only.
 */
@Component
@ConditionalOnProperty(name = "hub.demo.enabled", havingValue = "true")
class DemoProvince implements InitializingBean, DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(DemoProvince.class);
    private static final ObjectMapper JSON = JsonLimits.mapper();
    private static final int MAX_BYTES = 5_000_000;

    private final String secret;
    private final int port;
    private final Map<String, Kept> keys = new ConcurrentHashMap<>();
    private HttpServer server;

    private record Kept(String bodySha256, byte[] answer) {
    }

    record Answer(int status, byte[] body) {
    }

    DemoProvince(ProvinceProperties props, Environment env) {
        this.secret = props.secret();
        this.port = env.getProperty("hub.demo.province-port", Integer.class, 18082);
    }

    @Override
    public void afterPropertiesSet() throws IOException {
        server = DemoStandIn.listen(port, "/api/supervision/v1/batches", this::handle, "the demo province",
                "hub.demo.province-port", "hub.province.base-url");
        log.info("demo province on http://127.0.0.1:{}/api/supervision/v1/batches", server.getAddress().getPort());
    }

    @Override
    public void destroy() {
        if (server != null) {
            server.stop(0);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Answer a;
            if (!"POST".equals(ex.getRequestMethod())) {
                a = new Answer(405, error("only POST"));
            } else {
                byte[] body;
                try (InputStream in = ex.getRequestBody()) {
                    body = in.readNBytes(MAX_BYTES + 1);
                }
                a = answer(body, ex.getRequestHeaders().getFirst("X-Region"),
                        ex.getRequestHeaders().getFirst("Idempotency-Key"),
                        ex.getRequestHeaders().getFirst("X-Signature"));
            }
            ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
            ex.sendResponseHeaders(a.status(), a.body().length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(a.body());
            }
        }
    }

    /** The province's answer to one request, as the contract defines it. */
    Answer answer(byte[] body, String region, String key, String signature) {
        if (body.length > MAX_BYTES) {
            return new Answer(413, error("over 5 MB"));
        }
        if (!ProvinceSigner.matches(body, secret, signature)) {
            return new Answer(400, error("bad X-Signature"));
        }
        if (key == null || key.isBlank()) {
            return new Answer(400, error("no Idempotency-Key"));
        }
        String sha = Payloads.sha256(body);
        Kept kept = keys.get(key);
        if (kept != null) {
            return kept.bodySha256.equals(sha) ? new Answer(409, kept.answer)
                    : new Answer(422, error("Idempotency-Key " + key + " was used with another body"));
        }
        JsonNode batch;
        try {
            batch = JSON.readTree(body);
        } catch (IOException e) {
            return new Answer(400, error("bad JSON"));
        }
        if (batch == null || !batch.path("records").isArray() || !batch.hasNonNull("batchId")) {
            return new Answer(400, error("batchId and records are required"));
        }
        if (!batch.path("region").asText("").equals(region)) {
            return new Answer(400, error("X-Region is not the body's region"));
        }
        if (batch.get("records").size() > 500) {
            return new Answer(413, error("over 500 records"));
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("batchId", batch.get("batchId").asText());
        ArrayNode accepted = out.putArray("accepted");
        ArrayNode rejected = out.putArray("rejected");
        for (JsonNode r : batch.get("records")) {
            String missing = missing(r);
            if (missing == null) {
                accepted.add(r.path("recordId").asText());
            } else {
                rejected.addObject().put("recordId", r.path("recordId").asText(""))
                        .put("code", "E_FIELD").put("reason", missing + ": required");
            }
        }
        byte[] answer = out.toString().getBytes(StandardCharsets.UTF_8);
        // Two requests with the same new key at once: the first kept answer wins, the other gets 409.
        Kept first = keys.putIfAbsent(key, new Kept(sha, answer));
        if (first != null) {
            return first.bodySha256.equals(sha) ? new Answer(409, first.answer) : new Answer(422, error("key reused"));
        }
        log.info("demo province: batch {} → {} accepted, {} rejected", key, accepted.size(), rejected.size());
        return new Answer(200, answer);
    }

    private static String missing(JsonNode r) {
        for (String f : new String[]{"recordId", "domain", "regionCode", "department", "matter", "status", "source"}) {
            if (!r.hasNonNull(f) || r.get(f).isTextual() && r.get(f).asText().isBlank()) {
                return f;
            }
        }
        return null;
    }

    private static byte[] error(String message) {
        return JSON.createObjectNode().put("error", message).toString().getBytes(StandardCharsets.UTF_8);
    }
}
