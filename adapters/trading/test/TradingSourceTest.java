package yingyan.adapters.trading;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import yingyan.canonical.CanonicalTime;
import yingyan.spi.AdapterMonitor;
import yingyan.spi.IngestGateway;
import yingyan.spi.IngestOutcome;
import yingyan.spi.Quarantine;
import yingyan.spi.SourceItem;
import yingyan.spi.Watermarks;

/**
 * The source against a WireMock trading centre: the token renewed in the middle of paging, a 410 restart from
 * the watermark, 429 with Retry-After, the maintenance 503, items repeated across pages and bad credentials.
 */
class TradingSourceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHANGES = "/exchange/v2/transactions";
    private static final String EMPTY = "{\"data\": [], \"nextCursor\": null, \"hasMore\": false}";

    private final WireMockServer centre = new WireMockServer(options().dynamicPort());
    private final Map<String, String> stored = new HashMap<>();
    private final List<SourceItem> submitted = new ArrayList<>();
    private final AdapterMonitor monitor = new AdapterMonitor();
    private final Watermarks watermarks = new Watermarks() {
        @Override
        public Optional<String> get(String adapter) {
            return Optional.ofNullable(stored.get(adapter));
        }

        @Override
        public void put(String adapter, String position) {
            stored.put(adapter, position);
        }
    };
    /** Trade codes the hub quarantines (as its mapper would); the others are queued. */
    private final Set<String> refusedByHub = new HashSet<>();
    /** Submits on which the hub cannot queue: 1 is the first submit of the poll. */
    private final Set<Integer> failingSubmits = new HashSet<>();
    private final int[] submits = {0};
    private final IngestGateway gateway = items -> {
        if (failingSubmits.contains(++submits[0])) {
            throw new IngestGateway.IngestException("the hub cannot queue (test)", null);
        }
        submitted.addAll(items);
        List<String> ids = items.stream().map(SourceItem::sourceKey).filter(k -> !refusedByHub.contains(k))
                .map(k -> "trading:" + k).toList();
        List<String> reasons = items.stream().filter(i -> refusedByHub.contains(i.sourceKey()))
                .map(i -> i.origin() + ": refused (test)").toList();
        return new IngestOutcome(ids.size(), reasons.size(), ids, reasons);
    };
    /** What the source quarantined itself: field → reason. */
    private final List<String[]> quarantined = new ArrayList<>();
    private final Quarantine quarantine = (adapter, key, origin, field, reason, sha, raw, charset) -> {
        quarantined.add(new String[] {key, field, reason});
        return quarantined.size();
    };

    @BeforeEach
    void start() {
        centre.start();
        // The other two types have nothing new unless a test says otherwise.
        centre.stubFor(get(urlPathEqualTo(CHANGES)).atPriority(10).willReturn(okJson(EMPTY)));
    }

    @AfterEach
    void stop() {
        centre.stop();
    }

    private TradingProperties props(int maxAttempts, boolean skipMaintenance, int perSecond) {
        return new TradingProperties(true, centre.baseUrl(), "hub", "hub-secret", Duration.ofSeconds(1), 200,
                Duration.ofSeconds(90), "2026-01-01T00:00:00+08:00", Duration.ofSeconds(2), Duration.ofSeconds(5),
                maxAttempts, Duration.ofSeconds(1), 3, skipMaintenance, LocalTime.of(1, 0), LocalTime.of(1, 30),
                Duration.ofSeconds(60), perSecond, Duration.ofMinutes(5));
    }

    private TradingSource source(TradingProperties props, Clock clock) {
        TradingSource s = new TradingSource(props, gateway, watermarks, monitor, quarantine);
        s.useClock(clock);
        return s;
    }

    private TradingSource source(int maxAttempts, Clock clock) {
        // 5 requests/s is the centre's limit; the tests that do not time the pacing go faster.
        return source(props(maxAttempts, true, 5), clock);
    }

    private TradingSource source() {
        return source(3, at("2026-03-25T10:00:00+08:00"));
    }

    private static Clock at(String iso) {
        return Clock.fixed(OffsetDateTime.parse(iso).toInstant(), ZoneId.of("Asia/Shanghai"));
    }

    private void tokens(String... values) {
        String state = Scenario.STARTED;
        for (int i = 0; i < values.length; i++) {
            String next = i + 1 < values.length ? "token " + (i + 1) : state;
            centre.stubFor(post(urlPathEqualTo("/oauth/token")).inScenario("tokens").whenScenarioStateIs(state)
                    .withBasicAuth("hub", "hub-secret")
                    .willReturn(okJson("{\"access_token\": \"" + values[i] + "\", \"token_type\": \"Bearer\","
                            + " \"expires_in\": 7200}"))
                    .willSetStateTo(next));
            state = next;
        }
    }

    private static MappingBuilder bidding(String cursor) {
        return get(urlPathEqualTo(CHANGES)).atPriority(1).withQueryParam("type", equalTo("BIDDING"))
                .withQueryParam("cursor", cursor == null ? absent() : equalTo(cursor));
    }

    /** The golden case's bidding item with another trade code and change time. */
    private static ObjectNode item(String tradeCode, String updatedAt) throws Exception {
        ObjectNode page = (ObjectNode) JSON.readTree(
                Files.readString(Path.of("test-data/trading/bidding-decided/input.json")));
        ObjectNode item = (ObjectNode) page.get("data").get(0);
        return item.put("tradeCode", tradeCode).put("updatedAt", updatedAt);
    }

    private static String page(String nextCursor, ObjectNode... items) {
        ObjectNode p = JSON.createObjectNode();
        ArrayNode data = p.putArray("data");
        for (ObjectNode i : items) {
            data.add(i);
        }
        p.put("nextCursor", nextCursor);
        p.put("hasMore", nextCursor != null);
        return p.toString();
    }

    private List<String> keys() {
        return submitted.stream().map(SourceItem::sourceKey).toList();
    }

    private String watermark(String type) {
        return TradingPositions.parse(stored.get("trading")).get(type).toString();
    }

    private AdapterMonitor.AdapterState state() {
        return monitor.state("trading");
    }

    @Test
    void aTokenRevokedInTheMiddleOfPagingIsRenewedOnceAndTheRequestRetried() throws Exception {
        tokens("t1", "t2");
        centre.stubFor(bidding(null).willReturn(okJson(page("c2", item("GC-1", "2026-03-24T17:00:05+08:00")))));
        centre.stubFor(bidding("c2").withHeader("Authorization", equalTo("Bearer t1"))
                .willReturn(aResponse().withStatus(401)));
        centre.stubFor(bidding("c2").withHeader("Authorization", equalTo("Bearer t2"))
                .willReturn(okJson(page(null, item("GC-2", "2026-03-24T18:00:00+08:00")))));

        source().poll();

        assertThat(state().failing()).as(state().lastError()).isFalse();
        assertThat(keys()).containsExactly("GC-1", "GC-2");
        centre.verify(2, postRequestedFor(urlPathEqualTo("/oauth/token")));
        assertThat(watermark("BIDDING")).isEqualTo("2026-03-24T18:00+08:00");
    }

    @Test
    void anExpiredCursorRestartsThatTypeFromItsWatermarkMinusTheOverlap() throws Exception {
        tokens("t1");
        stored.put("trading", "{\"BIDDING\":\"2026-03-24T17:00:05+08:00\"}");
        centre.stubFor(bidding(null).withQueryParam("changedSince", equalTo("2026-03-24T16:58:35+08:00"))
                .willReturn(okJson(page("c2", item("GC-1", "2026-03-24T17:10:00+08:00")))));
        centre.stubFor(bidding("c2").willReturn(aResponse().withStatus(410)));
        centre.stubFor(bidding(null).withQueryParam("changedSince", equalTo("2026-03-24T17:08:30+08:00"))
                .willReturn(okJson(page(null, item("GC-1", "2026-03-24T17:10:00+08:00"),
                        item("GC-2", "2026-03-24T17:20:00+08:00")))));

        source().poll();

        assertThat(state().failing()).as(state().lastError()).isFalse();
        // GC-1 comes again after the restart: the same version in the same pass is submitted once.
        assertThat(keys()).containsExactly("GC-1", "GC-2");
        assertThat(watermark("BIDDING")).isEqualTo("2026-03-24T17:20+08:00");
        centre.verify(0, getRequestedFor(urlPathEqualTo(CHANGES)).withQueryParam("type", equalTo("BIDDING"))
                .withQueryParam("changedSince", equalTo("2026-01-01T00:00:00+08:00")));
    }

    @Test
    void tooManyRequestsWaitsForRetryAfterAndAsksAgain() throws Exception {
        tokens("t1");
        centre.stubFor(bidding(null).inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("calm"));
        centre.stubFor(bidding(null).inScenario("busy").whenScenarioStateIs("calm")
                .willReturn(okJson(page(null, item("GC-1", "2026-03-24T17:00:05+08:00")))));

        long started = System.nanoTime();
        source().poll();

        assertThat(state().failing()).as(state().lastError()).isFalse();
        assertThat(keys()).containsExactly("GC-1");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        centre.verify(2, getRequestedFor(urlPathEqualTo(CHANGES)).withQueryParam("type", equalTo("BIDDING")));
    }

    @Test
    void inTheMaintenanceWindowNoPollIsMadeAndNothingFails() {
        tokens("t1");
        source(3, at("2026-03-25T01:10:00+08:00")).poll();

        assertThat(state().failing()).isFalse();
        centre.verify(0, getRequestedFor(urlPathEqualTo(CHANGES)));
        centre.verify(0, postRequestedFor(urlPathEqualTo("/oauth/token")));
    }

    @Test
    void aMaintenance503AsTheWindowOpensEndsThePollWithoutFailing() {
        tokens("t1");
        centre.stubFor(bidding(null).willReturn(aResponse().withStatus(503)));
        // The poll starts at 00:59:59; the 503 arrives once the window has opened.
        source(3, stepping("2026-03-25T00:59:59+08:00", "2026-03-25T01:00:01+08:00")).poll();

        assertThat(state().failing()).as(state().lastError()).isFalse();
        centre.verify(1, getRequestedFor(urlPathEqualTo(CHANGES)));
        assertThat(stored).isEmpty();
    }

    @Test
    void a503OutsideTheWindowIsRetriedAndThenAFailure() {
        tokens("t1");
        centre.stubFor(bidding(null).willReturn(aResponse().withStatus(503)));
        source(2, at("2026-03-25T10:00:00+08:00")).poll();

        assertThat(state().failing()).isTrue();
        assertThat(state().lastError()).contains("answered 503", "2 of 2 attempts");
        centre.verify(2, getRequestedFor(urlPathEqualTo(CHANGES)));
    }

    @Test
    void anItemRepeatedOnALaterPageIsSubmittedOnceAndANewerVersionAgain() throws Exception {
        tokens("t1");
        ObjectNode a = item("GC-1", "2026-03-24T17:00:05+08:00");
        ObjectNode b = item("GC-2", "2026-03-24T17:00:06+08:00");
        ObjectNode aNewer = item("GC-1", "2026-03-24T17:30:00+08:00");
        centre.stubFor(bidding(null).willReturn(okJson(page("c2", a, b))));
        centre.stubFor(bidding("c2").willReturn(okJson(page("c3", b.deepCopy()))));
        centre.stubFor(bidding("c3").willReturn(okJson(page(null, b.deepCopy(), aNewer))));

        source().poll();

        assertThat(state().failing()).as(state().lastError()).isFalse();
        assertThat(keys()).containsExactly("GC-1", "GC-2", "GC-1");
        assertThat(submitted.get(2).text()).contains("17:30:00");
        assertThat(watermark("BIDDING")).isEqualTo("2026-03-24T17:30+08:00");
    }

    @Test
    void refusedCredentialsAtTheTokenEndpointAreHealthDownWithTheReason() {
        centre.stubFor(post(urlPathEqualTo("/oauth/token")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\": \"invalid_client\", \"error_description\": \"bad secret\"}")));

        source().poll();

        assertThat(state().failing()).isTrue();
        assertThat(state().lastError()).contains("refused the client credentials", "invalid_client");
        assertThat(state().mayPoll()).as("backs off").isFalse();
        centre.verify(0, getRequestedFor(urlPathEqualTo(CHANGES)));
    }

    @Test
    void a401OnAFreshTokenIsACredentialFailureNotALoop() {
        tokens("t1", "t2");
        centre.stubFor(bidding(null).willReturn(aResponse().withStatus(401)));

        source().poll();

        assertThat(state().failing()).isTrue();
        assertThat(state().lastError()).contains("refused a token it had just issued");
        centre.verify(1, postRequestedFor(urlPathEqualTo("/oauth/token")));
        centre.verify(1, getRequestedFor(urlPathEqualTo(CHANGES)));
    }

    @Test
    void anItemDatedAfterTheHubsClockIsQuarantinedAndTheWatermarkNeverPassesNowPlusTheTolerance() throws Exception {
        tokens("t1");
        // The hub's clock says 10:00:00; the tolerance is 60 s.
        centre.stubFor(bidding(null).willReturn(okJson(page(null, item("GC-1", "2026-03-25T09:59:00+08:00"),
                item("GC-SKEW", "2026-03-25T10:00:30+08:00"), item("GC-2099", "2099-01-01T00:00:00+08:00")))));

        source().poll();

        assertThat(state().failing()).as(state().lastError()).isFalse();
        assertThat(keys()).as("the future-dated item is not handed on").containsExactly("GC-1", "GC-SKEW");
        assertThat(quarantined).hasSize(1);
        assertThat(quarantined.get(0)[0]).isEqualTo("GC-2099");
        assertThat(quarantined.get(0)[1]).isEqualTo("updatedAt");
        assertThat(quarantined.get(0)[2]).contains("2099-01-01T00:00:00+08:00", "hub.adapters.trading.clock-tolerance",
                "the centre's clock or this transaction's date is wrong");
        assertThat(state().quarantinedTotal()).isEqualTo(1);
        // 30 s of clock skew is tolerated; 2099 does not carry the watermark past items not yet read.
        assertThat(watermark("BIDDING")).isEqualTo("2026-03-25T10:00:30+08:00");
    }

    @Test
    void anItemTheHubQuarantinedDoesNotMoveTheWatermark() throws Exception {
        tokens("t1");
        refusedByHub.add("GC-BAD");
        // GC-BAD is out of order: a transaction updated at 17:10, on the next page, is not read yet.
        centre.stubFor(bidding(null).willReturn(okJson(page(null, item("GC-1", "2026-03-24T17:00:05+08:00"),
                item("GC-BAD", "2026-03-24T17:30:00+08:00")))));

        source().poll();

        assertThat(state().failing()).as(state().lastError()).isFalse();
        assertThat(keys()).containsExactly("GC-1", "GC-BAD");
        assertThat(watermark("BIDDING")).isEqualTo("2026-03-24T17:00:05+08:00");
    }

    @Test
    void aSubmitThatFailsOnPage2LeavesTheWatermarkAtPage1() throws Exception {
        tokens("t1");
        failingSubmits.add(2);
        centre.stubFor(bidding(null).willReturn(okJson(page("c2", item("GC-1", "2026-03-24T17:00:05+08:00")))));
        centre.stubFor(bidding("c2").willReturn(okJson(page(null, item("GC-2", "2026-03-24T18:00:00+08:00")))));

        source().poll();

        assertThat(state().failing()).isTrue();
        assertThat(state().lastError()).contains("cannot queue");
        assertThat(keys()).containsExactly("GC-1");
        assertThat(watermark("BIDDING")).as("page 2 is read again next poll").isEqualTo("2026-03-24T17:00:05+08:00");
    }

    @Test
    void requestsArePacedToTheCentresFivePerSecond() throws Exception {
        tokens("t1");
        centre.stubFor(bidding(null).willReturn(okJson(page("c2", item("GC-1", "2026-03-24T17:00:01+08:00")))));
        for (int i = 2; i <= 5; i++) {
            centre.stubFor(bidding("c" + i).willReturn(okJson(page(i == 5 ? null : "c" + (i + 1),
                    item("GC-" + i, "2026-03-24T17:00:0" + i + "+08:00")))));
        }

        long started = System.nanoTime();
        source().poll();

        assertThat(state().failing()).as(state().lastError()).isFalse();
        // 5 BIDDING pages, then MINING and PROPERTY: 7 requests, 6 gaps of at least 200 ms.
        centre.verify(7, getRequestedFor(urlPathEqualTo(CHANGES)));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1200));
    }

    @Test
    void aRetryAfterLongerThanMaxBackoffIsHonoured() throws Exception {
        tokens("t1");
        centre.stubFor(bidding(null).inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")).willSetStateTo("calm"));
        centre.stubFor(bidding(null).inScenario("busy").whenScenarioStateIs("calm")
                .willReturn(okJson(page(null, item("GC-1", "2026-03-24T17:00:05+08:00")))));

        long started = System.nanoTime();
        source().poll(); // max-backoff is 1 s

        assertThat(state().failing()).as(state().lastError()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        assertThat(keys()).containsExactly("GC-1");
    }

    @Test
    void anHttpDateRetryAfterIsReadAgainstTheHubsClock() throws Exception {
        tokens("t1");
        // The hub's clock: 2026-03-25 10:00:00 Beijing = 02:00:00 GMT; the centre asks to come back a second later.
        centre.stubFor(bidding(null).inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "Wed, 25 Mar 2026 02:00:01 GMT"))
                .willSetStateTo("calm"));
        centre.stubFor(bidding(null).inScenario("busy").whenScenarioStateIs("calm")
                .willReturn(okJson(page(null, item("GC-1", "2026-03-24T17:00:05+08:00")))));

        long started = System.nanoTime();
        source().poll();

        assertThat(state().failing()).as(state().lastError()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void withoutSkippingTheWindowAMaintenance503InsideItIsNoFailure() {
        tokens("t1");
        centre.stubFor(bidding(null).willReturn(aResponse().withStatus(503)));

        source(props(3, false, 5), at("2026-03-25T01:10:00+08:00")).poll();

        assertThat(state().failing()).as(state().lastError()).isFalse();
        centre.verify(1, getRequestedFor(urlPathEqualTo(CHANGES)));
        assertThat(stored).isEmpty();
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aRepeatedNextCursorStopsThePollWithTheReasonInsteadOfLooping() throws Exception {
        tokens("t1");
        centre.stubFor(bidding(null).willReturn(okJson(page("c2", item("GC-1", "2026-03-24T17:00:05+08:00")))));
        centre.stubFor(bidding("c2").willReturn(okJson(page("c3", item("GC-2", "2026-03-24T17:10:00+08:00")))));
        centre.stubFor(bidding("c3").willReturn(okJson(page("c2", item("GC-3", "2026-03-24T17:20:00+08:00")))));

        source().poll();

        assertThat(state().failing()).as("DOWN with the reason").isTrue();
        assertThat(state().lastError()).contains("same nextCursor", "BIDDING");
        centre.verify(3, getRequestedFor(urlPathEqualTo(CHANGES)).withQueryParam("type", equalTo("BIDDING")));
        assertThat(watermark("BIDDING")).as("what was read is kept").isEqualTo("2026-03-24T17:20+08:00");
    }

    /** A clock that gives each time in turn, then stays at the last. */
    private static Clock stepping(String... times) {
        Deque<Instant> left = new ArrayDeque<>();
        for (String t : times) {
            left.add(OffsetDateTime.parse(t).toInstant());
        }
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return CanonicalTime.BEIJING;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return left.size() > 1 ? left.poll() : left.peek();
            }
        };
    }
}
