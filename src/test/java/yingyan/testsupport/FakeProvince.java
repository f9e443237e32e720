package yingyan.testsupport;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import yingyan.province.ProvinceSigner;
import yingyan.spi.Payloads;

/**
 * The stand-in provincial system of every test and of the benchmark (docs/contracts/province.md §1), a
 * WireMock server on a free port. Out of the box it remembers: it checks the signature, accepts every record
 * of a new batch and keeps its Idempotency-Key, answers a resend of the same key and body 409 with the
 * original answer, and 422 for the same key with another body. What it accepted is kept version by version,
 * so a test can count: every version accepted once, whatever the network did.
 * <p>
 * Switched at any time:
 * <ul>
 *   <li>{@link #mode}: faults: 500s, 503s, connection resets before anything is recorded, and the two where
 *       the province has the batch but the hub cannot know: the answer comes later than the hub waits
 *       ({@link Mode#TIMEOUT}), or the connection drops after the batch is recorded
 *       ({@link Mode#ACCEPT_THEN_RESET});</li>
 *   <li>{@link #latency}: a slow province, every answer leaving that long after its request came;</li>
 *   <li>{@link #quota}: the province's own count of requests per second (429 over it, counted);</li>
 *   <li>{@link #checkingFees}: records rejected and left unanswered, for the answer's cases;</li>
 *   <li>{@link #busyOnce}: one batch answered 503 the first time, among others in flight.</li>
 * </ul>
 * What it saw: {@link #accepted}, the counts, and {@link #log}: each request with when it came and when it
 * was answered.
 * <p>
 * A test that needs an exact answer (a 400, a 413 for a large batch, a 429 with Retry-After, a scripted
 * sequence) stubs {@link #wireMock()} itself: its stubs take precedence over the province's own one (a
 * later stub of the same priority wins; {@code resetAll()} leaves only the test's), and a stub that names
 * the transformer {@link #ANSWER} gets the province's answer to the batch with the stub's status, remembering
 * nothing. What such stubs answered is in WireMock's request journal, not in {@link #log}.
 */
public final class FakeProvince implements AutoCloseable {
    public static final String PATH = "/api/supervision/v1/batches";
    /** The alert batches' endpoint (docs/contracts/province.md §3): the same handling, items are alert v1. */
    public static final String ALERTS_PATH = "/api/supervision/v1/alerts";
    /** The transformer a test's own stub names to answer with the province's answer for the body. */
    public static final String ANSWER = "province-answer";
    /** The province secret of the test profile (application-test.yaml). */
    public static final String TEST_SECRET = "test-province-secret-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory STREAM = new JsonFactory();

    /** How the province behaves for the next requests. */
    public enum Mode {
        /** Up: a new batch is recorded and answered 200; a resend 409 with the original answer. */
        ACCEPT,
        /** 500, nothing recorded. */
        ERROR_500,
        /** 503 without Retry-After, nothing recorded: a province too busy for now. */
        BUSY_503,
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

    /** One alert state the province accepted: under which Idempotency-Key, which alert, with its three instants. */
    public record AcceptedAlert(String key, String alertId, String raisedAt, String resolvedAt, String clearedAt) {
    }

    /**
     * One request as the province saw it: {@code start} when it reached the province (its body read),
     * {@code end} when its answer left (both {@link System#nanoTime()}); {@code status} 0 for a reset;
     * {@code recordIds} the batch's items' ids (alert ids on {@link #ALERTS_PATH}), {@code path} the endpoint.
     */
    public record Request(String key, String batchId, String signature, byte[] body, List<String> recordIds,
                          long start, long end, int status, String path) {
    }

    private record Kept(String bodySha256, String answer) {
    }

    /**
     * A batch as read: its id and its items' ids (records', or alerts' for an alert batch), and the whole tree
     * when the answer or the record needs more.
     */
    private record Batch(String batchId, List<String> recordIds, JsonNode tree, boolean alerts) {
    }

    /** What {@link #decide} made of a request: the answer to give, and the status it is logged with. */
    private record Outcome(int status, ResponseDefinitionBuilder answer, Batch batch) {
    }

    private final String secret;
    private final boolean recording;
    private final WireMockServer wm;
    private final Map<String, Kept> keys = new HashMap<>();
    private final List<Accepted> accepted = new ArrayList<>();
    private final List<AcceptedAlert> acceptedAlerts = new ArrayList<>();
    private final Set<String> rejectedAlerts = new HashSet<>();
    private final Map<String, Integer> requestsPerKey = new HashMap<>();
    private final Map<Mode, Integer> requestsByMode = new EnumMap<>(Mode.class);
    private final Set<String> busyOnce = new HashSet<>();
    private final Set<String> wasBusy = new HashSet<>();
    private final ArrayDeque<Long> starts = new ArrayDeque<>();
    private final List<Request> log = new ArrayList<>();
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();
    private int requests;
    private int resendsAnswered409;
    private long acceptedRecords;
    private long overQuota;
    private volatile Mode mode = Mode.ACCEPT;
    private volatile int timeoutDelay = 5_000;
    private volatile long latencyMillis;
    private volatile int quota;
    private volatile boolean checkingFees;
    private volatile Consumer<String> onAccepted = key -> { };

    /** A province checking {@code X-Signature} with the test profile's secret. */
    public FakeProvince() {
        this(TEST_SECRET);
    }

    /** A province on a free port checking {@code X-Signature} with this secret. */
    public FakeProvince(String secret) {
        this(secret, true);
    }

    private FakeProvince(String secret, boolean recording) {
        this.secret = secret;
        this.recording = recording;
        // More threads than any hub's max-in-flight: a request must never wait for a thread and so be seen late.
        WireMockConfiguration config = options().dynamicPort().containerThreads(20)
                .extensions(new Transformer(), new Answer());
        this.wm = new WireMockServer(recording ? config : config.disableRequestJournal());
        wm.start();
        wm.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withTransformers(Transformer.NAME)));
        wm.stubFor(post(urlEqualTo(ALERTS_PATH)).willReturn(aResponse().withTransformers(Transformer.NAME)));
    }

    /**
     * A province for runs of hundreds of thousands of versions (the benchmark, in the hub's own JVM and
     * heap): it still checks, remembers keys and counts, but keeps no request journal, no version list and no
     * {@link #log}, and reads a batch as a stream, not as a tree.
     */
    public static FakeProvince countingOnly(String secret) {
        return new FakeProvince(secret, false);
    }

    /** {@code hub.province.base-url}. */
    public String baseUrl() {
        return wm.baseUrl();
    }

    /** The WireMock server itself, for a test that stubs answers of its own (see the class comment). */
    public WireMockServer wireMock() {
        return wm;
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

    /** Every answer leaves this long after its request came (a province that takes its time). */
    public FakeProvince latency(long millis) {
        this.latencyMillis = millis;
        return this;
    }

    /**
     * The province counts requests as they reach it: one that comes within a second of the
     * {@code perSecond}-th request before it is answered 429 with {@code Retry-After: 1} and counted in
     * {@link #overQuota()}. 0: no quota (the default).
     */
    public FakeProvince quota(int perSecond) {
        this.quota = perSecond;
        return this;
    }

    /**
     * The province checks what the fixture department's records carry: a record without a FEE amount is
     * rejected {@code E_FIELD} naming the field, and one whose FEE is 7.77 is left out of both lists (a
     * province breaking its own contract). The answer then depends only on the body. Off by default, as the
     * departments' own records need not carry a FEE.
     */
    public FakeProvince checkingFees() {
        this.checkingFees = true;
        return this;
    }

    /**
     * Every state of this alert is rejected {@code E_FIELD} (the province finds a field of it wrong), until
     * {@link #reset}.
     */
    public synchronized FakeProvince rejectingAlert(String alertId) {
        rejectedAlerts.add(alertId);
        return this;
    }

    /** The first batch holding this record is answered 503 (nothing recorded); its resend is taken. */
    public synchronized FakeProvince busyOnce(String recordId) {
        busyOnce.add(recordId);
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

    /**
     * Forgets everything it saw and recorded, and is up again ({@link Mode#ACCEPT}, no {@link #busyOnce}):
     * the same province for the next test. Latency, quota and the fee check stay as set; stubs a test added to
     * {@link #wireMock()} stay too.
     */
    public synchronized void reset() {
        keys.clear();
        accepted.clear();
        acceptedAlerts.clear();
        rejectedAlerts.clear();
        requestsPerKey.clear();
        requestsByMode.clear();
        busyOnce.clear();
        wasBusy.clear();
        starts.clear();
        log.clear();
        requests = 0;
        resendsAnswered409 = 0;
        acceptedRecords = 0;
        overQuota = 0;
        concurrent.set(0);
        maxConcurrent.set(0);
        mode = Mode.ACCEPT;
        onAccepted = key -> { };
        if (recording) {
            wm.resetRequests();
        }
    }

    /** Every version accepted, in the order accepted (none for {@link #countingOnly}). */
    public synchronized List<Accepted> accepted() {
        return List.copyOf(accepted);
    }

    /** Every alert state accepted, in the order accepted. */
    public synchronized List<AcceptedAlert> acceptedAlerts() {
        return List.copyOf(acceptedAlerts);
    }

    /** Records accepted in new batches (a resend's records are not counted again). */
    public synchronized long acceptedRecords() {
        return acceptedRecords;
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

    /** Requests answered 429 because they broke the {@link #quota}. */
    public synchronized long overQuota() {
        return overQuota;
    }

    /** Most requests being answered at once. */
    public int maxConcurrent() {
        return maxConcurrent.get();
    }

    /** Every request the province's own stub answered, in the order they reached it (none for {@link #countingOnly}). */
    public synchronized List<Request> log() {
        List<Request> out = new ArrayList<>(log);
        out.sort(Comparator.comparingLong(Request::start));
        return out;
    }

    @Override
    public void close() {
        wm.stop();
    }

    private ResponseDefinition serve(ServeEvent event) {
        long start = System.nanoTime();
        maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
        try {
            LoggedRequest request = event.getRequest();
            Outcome o = decide(request, start);
            LockSupport.parkNanos(start + TimeUnit.MILLISECONDS.toNanos(latencyMillis) - System.nanoTime());
            if (recording) {
                Batch b = o.batch() != null ? o.batch() : readQuietly(request.getBody());
                synchronized (this) {
                    log.add(new Request(request.getHeader("Idempotency-Key"), b == null ? null : b.batchId(),
                            request.getHeader("X-Signature"), request.getBody(),
                            b == null ? List.of() : b.recordIds(), start, System.nanoTime(), o.status(),
                            request.getUrl()));
                }
            }
            return o.answer().build();
        } finally {
            concurrent.decrementAndGet();
        }
    }

    private synchronized Outcome decide(LoggedRequest request, long start) {
        requests++;
        Mode m = mode;
        requestsByMode.merge(m, 1, Integer::sum);
        ResponseDefinitionBuilder out = aResponse().withHeader("Content-Type", "application/json");
        if (quota > 0 && overQuota(start)) {
            overQuota++;
            return new Outcome(429, aResponse().withStatus(429).withHeader("Retry-After", "1"), null);
        }
        switch (m) {
            case ERROR_500:
                return new Outcome(500, out.withStatus(500).withBody("{\"error\":\"internal error\"}"), null);
            case BUSY_503:
                return new Outcome(503, aResponse().withStatus(503), null);
            case RESET:
                return new Outcome(0, out.withFault(Fault.CONNECTION_RESET_BY_PEER), null);
            default:
                break;
        }
        byte[] body = request.getBody();
        String key = request.getHeader("Idempotency-Key");
        requestsPerKey.merge(String.valueOf(key), 1, Integer::sum);
        if (key == null || !ProvinceSigner.matches(body, secret, request.getHeader("X-Signature"))) {
            return new Outcome(400, out.withStatus(400).withBody("{\"error\":\"bad X-Signature or no Idempotency-Key\"}"),
                    null);
        }
        Batch batch;
        try {
            batch = read(body, recording || checkingFees);
        } catch (IOException | RuntimeException e) {
            return new Outcome(400, out.withStatus(400).withBody("{\"error\":\"bad JSON\"}"), null);
        }
        if (!busyOnce.isEmpty() && batch.recordIds().stream().anyMatch(busyOnce::contains)
                && wasBusy.add(batch.batchId())) {
            return new Outcome(503, aResponse().withStatus(503), batch);
        }
        String sha = Payloads.sha256(body);
        Kept kept = keys.get(key);
        int status;
        String answer;
        if (kept != null) {
            if (!kept.bodySha256.equals(sha)) {
                return new Outcome(422, out.withStatus(422)
                        .withBody("{\"error\":\"Idempotency-Key reused with another body\"}"), batch);
            }
            status = 409;
            answer = kept.answer;
            if (m == Mode.ACCEPT) {
                resendsAnswered409++;
            }
        } else {
            ObjectNode a = answer(batch, checkingFees, rejectedAlerts);
            record(key, batch, a);
            answer = a.toString();
            keys.put(key, new Kept(sha, answer));
            status = 200;
            onAccepted.accept(key);
        }
        if (m == Mode.ACCEPT_THEN_RESET) {
            return new Outcome(0, out.withFault(Fault.CONNECTION_RESET_BY_PEER), batch);
        }
        out = out.withStatus(status).withBody(answer);
        return new Outcome(status, m == Mode.TIMEOUT ? out.withFixedDelay(timeoutDelay) : out, batch);
    }

    /** Whether a request starting now is the quota's + 1st within a second, as the province counts. */
    private boolean overQuota(long start) {
        starts.addLast(start);
        while (starts.size() > quota + 1) {
            starts.removeFirst();
        }
        return starts.size() > quota && start - starts.peekFirst() < TimeUnit.SECONDS.toNanos(1);
    }

    private void record(String key, Batch batch, ObjectNode answer) {
        if (!batch.alerts()) {
            acceptedRecords += answer.get("accepted").size();
        }
        if (!recording) {
            return;
        }
        Set<String> ids = new HashSet<>();
        answer.get("accepted").forEach(id -> ids.add(id.asText()));
        if (batch.alerts()) {
            for (JsonNode a : batch.tree().get("alerts")) {
                if (ids.contains(a.get("alertId").asText())) {
                    acceptedAlerts.add(new AcceptedAlert(key, a.get("alertId").asText(), a.path("raisedAt").asText(null),
                            a.path("resolvedAt").asText(null), a.path("clearedAt").asText(null)));
                }
            }
            return;
        }
        for (JsonNode r : batch.tree().get("records")) {
            String id = r.get("recordId").asText();
            if (ids.contains(id)) {
                JsonNode s = r.get("source");
                accepted.add(new Accepted(key, id, s.get("updatedAt").asText(), s.get("payloadSha256").asText()));
            }
        }
    }

    /**
     * The province's answer to a batch: every record accepted, or as {@link #checkingFees} says; every alert
     * accepted but those {@link #rejectingAlert rejected}.
     */
    private static ObjectNode answer(Batch batch, boolean checkingFees, Set<String> rejectedAlerts) {
        ObjectNode out = JSON.createObjectNode();
        out.put("batchId", batch.batchId());
        var accepted = out.putArray("accepted");
        var rejected = out.putArray("rejected");
        if (batch.alerts()) {
            for (String id : batch.recordIds()) {
                if (rejectedAlerts.contains(id)) {
                    rejected.addObject().put("alertId", id).put("code", "E_FIELD")
                            .put("reason", "level: not a level of this rule");
                } else {
                    accepted.add(id);
                }
            }
            return out;
        }
        if (!checkingFees) {
            batch.recordIds().forEach(accepted::add);
            return out;
        }
        for (JsonNode r : batch.tree().get("records")) {
            boolean hasFee = false;
            boolean forgotten = false;
            for (JsonNode a : r.path("amounts")) {
                hasFee |= "FEE".equals(a.path("kind").asText());
                forgotten |= "7.77".equals(a.path("value").asText());
            }
            if (forgotten) {
                continue;
            }
            if (hasFee) {
                accepted.add(r.get("recordId").asText());
            } else {
                rejected.addObject().put("recordId", r.get("recordId").asText()).put("code", "E_FIELD")
                        .put("reason", "amounts: a FEE amount is required");
            }
        }
        return out;
    }

    /** The batch as a tree, or only its ids read as a stream (a 5 MB batch is not held as a tree). */
    private static Batch read(byte[] body, boolean tree) throws IOException {
        if (tree) {
            JsonNode batch = JSON.readTree(body);
            boolean alerts = batch.has("alerts");
            String list = alerts ? "alerts" : "records";
            String id = alerts ? "alertId" : "recordId";
            List<String> ids = new ArrayList<>();
            batch.get(list).forEach(r -> ids.add(r.get(id).asText()));
            return new Batch(batch.get("batchId").asText(), ids, batch, alerts);
        }
        boolean alerts = false;
        String batchId = null;
        List<String> ids = new ArrayList<>();
        try (JsonParser p = STREAM.createParser(body)) {
            int depth = 0;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    depth++;
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    depth--;
                } else if (t == JsonToken.FIELD_NAME && depth == 1 && "batchId".equals(p.currentName())) {
                    batchId = p.nextTextValue();
                } else if (t == JsonToken.FIELD_NAME && depth == 3 && "recordId".equals(p.currentName())) {
                    ids.add(p.nextTextValue());
                } else if (t == JsonToken.FIELD_NAME && depth == 3 && "alertId".equals(p.currentName())) {
                    ids.add(p.nextTextValue());
                    alerts = true;
                }
            }
        }
        return new Batch(batchId, ids, null, alerts);
    }

    private static Batch readQuietly(byte[] body) {
        try {
            return read(body, false);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The province's own stub: remembers, switches modes, takes its time. */
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
            return serve(event);
        }
    }

    /** For a test's own stubs: the province's answer to the body, with the stub's status. */
    private final class Answer implements ResponseDefinitionTransformerV2 {
        @Override
        public String getName() {
            return ANSWER;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            try {
                return ResponseDefinitionBuilder.like(event.getResponseDefinition())
                        .withHeader("Content-Type", "application/json")
                        .withBody(answer(read(event.getRequest().getBody(), true), checkingFees, Set.of()).toString())
                        .build();
            } catch (Exception e) {
                return ResponseDefinitionBuilder.like(event.getResponseDefinition()).withStatus(400)
                        .withBody("{\"error\":\"bad JSON\"}").build();
            }
        }
    }
}
