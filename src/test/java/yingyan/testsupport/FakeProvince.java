package yingyan.testsupport;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import yingyan.spi.Payloads;
import yingyan.province.ProvinceSigner;

/**
 * A provincial system that remembers (docs/contracts/province.md §1): it checks the signature, accepts every record
 * of a new batch and keeps its Idempotency-Key, answers a resend of the same key and body 409 with the
 * original answer, and 422 for the same key with another body. What it accepted is kept version by
 * version, so a test can count: every version accepted once, whatever the network did.
 * <p>
 * Faults are a {@link Mode} switched at any time: 500s, connection resets before anything is recorded,
 * and the two where the province has the batch but the hub cannot know: the answer comes later than the
 * hub waits ({@link Mode#TIMEOUT}), or the connection drops after the batch is recorded
 * ({@link Mode#ACCEPT_THEN_RESET}).
 */
public final class FakeProvince implements AutoCloseable {
    public static final String PATH = "/api/supervision/v1/batches";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the province behaves for the next requests. */
    public enum Mode {
        /** Up: a new batch is recorded and answered 200; a resend 409 with the original answer. */
        ACCEPT,
        /** 500, nothing recorded. */
        ERROR_500,
        /** The batch is recorded as in ACCEPT, but the answer comes after {@link #timeoutDelay}: too late for the hub. */
        TIMEOUT,
        /** The connection is reset before anything is recorded. */
        RESET,
        /** The batch is recorded as in ACCEPT, then the connection is reset instead of answering. */
        ACCEPT_THEN_RESET
    }

    /** One version the province accepted: under which Idempotency-Key, which record, which source version. */
    public record Accepted(String key, String recordId, String updatedAt, String payloadSha256) {
    }

    private record Kept(String bodySha256, String answer) {
    }

    private final String secret;
    private final WireMockServer wm;
    private final Map<String, Kept> keys = new HashMap<>();
    private final List<Accepted> accepted = new ArrayList<>();
    private final Map<String, Integer> requestsPerKey = new HashMap<>();
    private volatile Mode mode = Mode.ACCEPT;
    private volatile int timeoutDelay = 5_000;
    private volatile Consumer<String> onAccepted = key -> { };
    private int requests;
    private final Map<Mode, Integer> requestsByMode = new java.util.EnumMap<>(Mode.class);
    private int resendsAnswered409;

    /** A province on a free port checking {@code X-Signature} with this secret. */
    public FakeProvince(String secret) {
        this.secret = secret;
        this.wm = new WireMockServer(options().dynamicPort().containerThreads(20).extensions(new Transformer()));
        wm.start();
        wm.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withTransformers(Transformer.NAME)));
    }

    /** {@code hub.province.base-url}. */
    public String baseUrl() {
        return wm.baseUrl();
    }

    public FakeProvince mode(Mode m) {
        this.mode = m;
        return this;
    }

    /** How late a {@link Mode#TIMEOUT} answer comes: more than the hub's {@code read-timeout}. */
    public FakeProvince timeoutDelay(int millis) {
        this.timeoutDelay = millis;
        return this;
    }

    /**
     * Called with the key of each newly accepted batch after it is recorded and before any answer leaves
     * (e.g. to kill the hub then: the province has it, the hub will never hear so).
     */
    public FakeProvince onAccepted(Consumer<String> hook) {
        this.onAccepted = hook;
        return this;
    }

    /** Every version accepted, in the order accepted. */
    public synchronized List<Accepted> accepted() {
        return List.copyOf(accepted);
    }

    /** Requests received (including resends and those answered with a fault). */
    public synchronized int requests() {
        return requests;
    }

    /** Requests received while in this mode. */
    public synchronized int requests(Mode m) {
        return requestsByMode.getOrDefault(m, 0);
    }

    /** Resends of a batch already recorded that got the original answer back (409). */
    public synchronized int resendsAnswered409() {
        return resendsAnswered409;
    }

    /** Distinct Idempotency-Keys the province recorded. */
    public synchronized int batches() {
        return keys.size();
    }

    /** Requests per Idempotency-Key: a key sent more than once was resent (legitimately, same bytes). */
    public synchronized Map<String, Integer> requestsPerKey() {
        return Map.copyOf(requestsPerKey);
    }

    @Override
    public void close() {
        wm.stop();
    }

    private synchronized ResponseDefinition answer(ServeEvent event, ResponseDefinition def) {
        requests++;
        Mode m = mode;
        requestsByMode.merge(m, 1, Integer::sum);
        ResponseDefinitionBuilder out = ResponseDefinitionBuilder.like(def).withHeader("Content-Type", "application/json");
        switch (m) {
            case ERROR_500:
                return out.withStatus(500).withBody("{\"error\":\"internal error\"}").build();
            case RESET:
                return out.withFault(Fault.CONNECTION_RESET_BY_PEER).build();
            default:
                break;
        }
        byte[] body = event.getRequest().getBody();
        String key = event.getRequest().getHeader("Idempotency-Key");
        requestsPerKey.merge(String.valueOf(key), 1, Integer::sum);
        if (key == null || !ProvinceSigner.matches(body, secret, event.getRequest().getHeader("X-Signature"))) {
            return out.withStatus(400).withBody("{\"error\":\"bad X-Signature or no Idempotency-Key\"}").build();
        }
        String sha = Payloads.sha256(body);
        Kept kept = keys.get(key);
        int status;
        String answer;
        if (kept != null) {
            if (!kept.bodySha256.equals(sha)) {
                return out.withStatus(422).withBody("{\"error\":\"Idempotency-Key reused with another body\"}").build();
            }
            status = 409;
            answer = kept.answer;
            if (m == Mode.ACCEPT) {
                resendsAnswered409++;
            }
        } else {
            try {
                answer = record(key, body);
            } catch (java.io.IOException e) {
                return out.withStatus(400).withBody("{\"error\":\"bad JSON\"}").build();
            }
            keys.put(key, new Kept(sha, answer));
            status = 200;
            onAccepted.accept(key);
        }
        if (m == Mode.ACCEPT_THEN_RESET) {
            return out.withFault(Fault.CONNECTION_RESET_BY_PEER).build();
        }
        out = out.withStatus(status).withBody(answer);
        return m == Mode.TIMEOUT ? out.withFixedDelay(timeoutDelay).build() : out.build();
    }

    private String record(String key, byte[] body) throws java.io.IOException {
        JsonNode batch = JSON.readTree(body);
        ObjectNode a = JSON.createObjectNode();
        a.put("batchId", batch.get("batchId").asText());
        var ids = a.putArray("accepted");
        a.putArray("rejected");
        for (JsonNode r : batch.get("records")) {
            String id = r.get("recordId").asText();
            JsonNode s = r.get("source");
            accepted.add(new Accepted(key, id, s.get("updatedAt").asText(), s.get("payloadSha256").asText()));
            ids.add(id);
        }
        return a.toString();
    }

    private final class Transformer implements ResponseDefinitionTransformerV2 {
        static final String NAME = "fake-province";

        @Override
        public String getName() {
            return NAME;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            return answer(event, event.getResponseDefinition());
        }
    }
}
