package yingyan.testsupport;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import yingyan.adapters.approvals.ApprovalsFixtures;
import yingyan.canonical.CanonicalTime;

/**
 * The stand-in city approval system of every test and of the benchmark, a WireMock server on 127.0.0.1:
 * {@code GET /api/cases} as docs/contracts/departments/approvals.md defines it, answered exactly as the quick
 * start's demo server answers (X-Api-Key, updatedSince inclusive, page/size at most 500, ordered by updatedAt
 * then caseNo), over cases a test puts, changes and reads back while the hub pages.
 * <p>
 * Switched at any time: {@link #delay} (a slow source, so a test can stop the hub in the middle of a run),
 * {@link #failWith} (the system down: every request answered with that status), {@link #beforeAnswer} (a hook
 * that changes the cases between two requests, as the real system does while the hub pages).
 * <p>
 * A test that needs an exact answer (a 503 with Retry-After, a page that is not JSON, a timeout) stubs
 * {@link #wireMock()} itself: the system's own stub is at priority 10, so any stub of a higher priority (a lower
 * number) wins, and a stub that names the transformer {@link #ANSWER} answers from the cases as above.
 * <p>
 * {@link #paging} serves a backlog too big to hold (the benchmark's millions of generated cases): every page
 * comes from a function, no request journal is kept, and {@link #cpuNanos()} tells what answering cost.
 * <p>
 * {@link #maxConcurrent()} tells whether two requests were ever being answered at once: one hub polls its
 * source one request after another, so more than 1 means two pollers (two cluster nodes both leading the
 * source). A {@link #delay} makes each answer take long enough for an overlap to show.
 */
public final class FakeApprovalsSystem implements AutoCloseable {
    public static final String PATH = "/api/cases";
    /** The transformer a stub names to answer from the cases. */
    public static final String ANSWER = "approvals-answer";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** One case as {@link #put} takes it: its number, last change time ("yyyy-MM-dd HH:mm:ss") and state. */
    public record Case(String caseNo, String updatedAt, String state) {
    }

    /** Pages of a source too big to hold: the body of {@code GET /api/cases} for these parameters. */
    @FunctionalInterface
    public interface Pages {
        byte[] page(String updatedSince, int page, int size);
    }

    private final String apiKey;
    private final Pages pages;
    private final WireMockServer wm;
    private final List<JsonNode> cases = new ArrayList<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong cpuNanos = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();
    private final AtomicLong overlapping = new AtomicLong();
    private final ThreadLocal<Long> cpuAtStart = new ThreadLocal<>();
    private int served;
    private BiConsumer<Integer, Request> beforeAnswer = (n, r) -> { };
    private volatile long delayMillis;
    private volatile int failWith;

    /** An approval system expecting this {@code X-Api-Key}, with no cases yet. */
    public FakeApprovalsSystem(String apiKey) {
        this(apiKey, null);
    }

    private FakeApprovalsSystem(String apiKey, Pages pages) {
        this.apiKey = apiKey;
        this.pages = pages;
        WireMockConfiguration config = options().dynamicPort().bindAddress("127.0.0.1")
                .extensions(new Answer(), new Cost());
        // The journal keeps every request for a test to count, but not every page served: a fault test polls
        // for minutes.
        this.wm = new WireMockServer(pages == null ? config.maxLoggedResponseSize(1_000)
                : config.disableRequestJournal());
        wm.start();
        wm.stubFor(get(urlPathEqualTo(PATH)).atPriority(10).willReturn(aResponse().withTransformers(ANSWER)));
    }

    /** An approval system serving every page from {@code pages} (the benchmark's generated backlog). */
    public static FakeApprovalsSystem paging(String apiKey, Pages pages) {
        return new FakeApprovalsSystem(apiKey, pages);
    }

    /** {@code hub.adapters.approvals.base-url}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + wm.port();
    }

    /** The WireMock server itself, for a test that stubs answers of its own (see the class comment). */
    public WireMockServer wireMock() {
        return wm;
    }

    /** Adds or replaces (by caseNo) a valid ORG case ({@link ApprovalsFixtures#orgCase}) in this state. */
    public synchronized void put(Case c) {
        ObjectNode item = ApprovalsFixtures.orgCase(c.caseNo(), c.updatedAt()).put("state", c.state());
        for (int i = 0; i < cases.size(); i++) {
            if (c.caseNo().equals(cases.get(i).path("caseNo").asText())) {
                cases.set(i, item);
                return;
            }
        }
        cases.add(item);
    }

    /** Adds cases as they are (any shape: a test may add one without a caseNo, or two with the same one). */
    public synchronized void add(JsonNode... items) {
        cases.addAll(List.of(items));
    }

    /** Replaces the case with this caseNo by a newer version, as an update in the source does. */
    public synchronized void update(String caseNo, String updatedAt, String state) {
        update(caseNo, updatedAt, state, null, null);
    }

    /** The same, also setting one text field given by a JSON pointer ("/applicant/certNo"). */
    public synchronized void update(String caseNo, String updatedAt, String state, String pointer, String value) {
        for (int i = 0; i < cases.size(); i++) {
            if (caseNo.equals(cases.get(i).path("caseNo").asText())) {
                ObjectNode newer = ((ObjectNode) cases.get(i)).deepCopy();
                newer.put("updatedAt", updatedAt).put("state", state);
                if (pointer != null) {
                    JsonPointer p = JsonPointer.compile(pointer);
                    ((ObjectNode) newer.at(p.head())).put(p.last().getMatchingProperty(), value);
                }
                cases.set(i, newer);
                return;
            }
        }
        throw new IllegalArgumentException("no case " + caseNo);
    }

    /** The cases as the source holds them now. */
    public synchronized List<JsonNode> cases() {
        return List.copyOf(cases);
    }

    /** Every case as the record it must be in the hub, at its newest updatedAt. */
    public synchronized Map<String, NothingLost.Produced> produced() {
        Map<String, NothingLost.Produced> out = new HashMap<>();
        for (JsonNode c : cases) {
            out.put("approvals:" + c.path("caseNo").asText(),
                    NothingLost.Produced.at(CanonicalTime.parseSource(c.path("updatedAt").asText())));
        }
        return out;
    }

    /** Runs before the system answers its n-th request (1-based) from the cases, inside the request. */
    public synchronized void beforeAnswer(BiConsumer<Integer, Request> hook) {
        beforeAnswer = hook;
    }

    /** Each answer from the cases comes this much later. */
    public void delay(long millis) {
        this.delayMillis = millis;
    }

    /** Every request answered with this status (e.g. 503) from now on; 0 = working again. */
    public void failWith(int status) {
        this.failWith = status;
    }

    /** No cases, no hook, no delay, no failure: the same system for the next test (stubs a test added stay). */
    public synchronized void reset() {
        cases.clear();
        served = 0;
        beforeAnswer = (n, r) -> { };
        delayMillis = 0;
        failWith = 0;
        maxConcurrent.set(0);
        overlapping.set(0);
    }

    /** Requests that reached the system's own stub. */
    public long requests() {
        return requests.get();
    }

    /** The most requests the system was ever answering at the same moment (1 for one sequential poller). */
    public int maxConcurrent() {
        return maxConcurrent.get();
    }

    /** Requests that arrived while another one was still being answered. */
    public long overlapping() {
        return overlapping.get();
    }

    /** CPU time this JVM spent serving requests so far: the source's share, which is not the hub's. */
    public long cpuNanos() {
        return cpuNanos.get();
    }

    @Override
    public void close() {
        wm.stop();
    }

    private ResponseDefinition serve(Request r) {
        int now = inFlight.incrementAndGet();
        maxConcurrent.accumulateAndGet(now, Math::max);
        if (now > 1) {
            overlapping.incrementAndGet();
        }
        try {
            return answer(r);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private ResponseDefinition answer(Request r) {
        requests.incrementAndGet();
        String url = r.getUrl();
        String query = url.contains("?") ? url.substring(url.indexOf('?') + 1) : null;
        if (!apiKey.equals(r.getHeader("X-Api-Key"))) {
            return json(ApprovalsFixtures.answer(List.of(), apiKey, r.getHeader("X-Api-Key"), query));
        }
        if (failWith > 0) {
            return ResponseDefinitionBuilder.responseDefinition().withStatus(failWith).build();
        }
        if (pages != null) {
            Map<String, String> q = query(query);
            return json(new ApprovalsFixtures.Answer(200, pages.page(q.get("updatedSince"),
                    Integer.parseInt(q.getOrDefault("page", "1")), Integer.parseInt(q.getOrDefault("size", "100")))));
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(delayMillis));
        synchronized (this) {
            beforeAnswer.accept(++served, r);
            return json(ApprovalsFixtures.answer(List.copyOf(cases), apiKey, r.getHeader("X-Api-Key"), query));
        }
    }

    private static ResponseDefinition json(ApprovalsFixtures.Answer a) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(a.status())
                .withHeader("Content-Type", "application/json; charset=UTF-8").withBody(a.body()).build();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw != null) {
            for (String part : raw.split("&")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    out.put(part.substring(0, eq), URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    /** Answers from the cases (or the pages). */
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
            return serve(event.getRequest());
        }
    }

    /** Counts the CPU each request took on its thread, from matching to the last byte sent. */
    private final class Cost implements ServeEventListener {
        @Override
        public String getName() {
            return "approvals-cost";
        }

        @Override
        public boolean applyGlobally() {
            return true;
        }

        @Override
        public void beforeMatch(ServeEvent event, Parameters parameters) {
            cpuAtStart.set(THREADS.getCurrentThreadCpuTime());
        }

        @Override
        public void afterComplete(ServeEvent event, Parameters parameters) {
            Long start = cpuAtStart.get();
            if (start != null) {
                cpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - start);
                cpuAtStart.remove();
            }
        }
    }
}
