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
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import yingyan.canonical.CanonicalTime;
import yingyan.spi.AdapterMonitor;
import yingyan.spi.IngestGateway;
import yingyan.spi.IngestOutcome;
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
    private final IngestGateway gateway = items -> {
        submitted.addAll(items);
        return new IngestOutcome(items.size(), 0, List.of(), List.of());
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

    private TradingProperties props(int maxAttempts) {
        return new TradingProperties(true, centre.baseUrl(), "hub", "hub-secret", Duration.ofSeconds(1), 200,
                Duration.ofSeconds(90), "2026-01-01T00:00:00+08:00", Duration.ofSeconds(2), Duration.ofSeconds(5),
                maxAttempts, Duration.ofSeconds(1), 3, true, LocalTime.of(1, 0), LocalTime.of(1, 30));
    }

    private TradingSource source(int maxAttempts, Clock clock) {
        TradingSource s = new TradingSource(props(maxAttempts), gateway, watermarks, monitor);
        s.useClock(clock);
        return s;
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
