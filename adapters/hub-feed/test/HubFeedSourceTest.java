package yingyan.adapters.hubfeed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import yingyan.spi.AdapterMonitor;
import yingyan.spi.IngestGateway;
import yingyan.spi.IngestOutcome;
import yingyan.spi.SourceItem;
import yingyan.quarantine.QuarantineStore;
import yingyan.store.WatermarkStore;
import yingyan.testsupport.BadInputs;

/**
 * The source against the demo county (the feed contract over HTTP): pages until caught up, the cursor
 * stored only after each page is queued, and failures that leave the cursor where it was.
 */
class HubFeedSourceTest {
    private final Map<String, String> stored = new HashMap<>();
    private final List<List<SourceItem>> submitted = new ArrayList<>();
    private final WatermarkStore watermarks = mock(WatermarkStore.class);
    private final IngestGateway gateway = mock(IngestGateway.class);
    private final QuarantineStore quarantine = mock(QuarantineStore.class);
    private final AdapterMonitor monitor = new AdapterMonitor();
    private HubFeedDemoServer county;

    @BeforeEach
    void setUp() throws Exception {
        when(watermarks.get(HubFeedProperties.ADAPTER_ID)).thenAnswer(i -> Optional.ofNullable(stored.get("hub-feed")));
        org.mockito.Mockito.doAnswer(i -> stored.put(i.getArgument(0), i.getArgument(1)))
                .when(watermarks).put(anyString(), anyString());
        when(gateway.submit(any())).thenAnswer(i -> {
            List<SourceItem> items = i.getArgument(0);
            submitted.add(items);
            return new IngestOutcome(items.size(), 0, List.of(), List.of());
        });
        county = new HubFeedDemoServer(props("http://127.0.0.1:1"), 0, "test-data");
        county.afterPropertiesSet();
    }

    @AfterEach
    void tearDown() {
        county.destroy();
    }

    private static HubFeedProperties props(String url) {
        return new HubFeedProperties(true, url, "city", "city-secret", Duration.ofSeconds(1), 3, 100,
                Duration.ofSeconds(2), Duration.ofSeconds(5), DataSize.ofMegabytes(64));
    }

    private HubFeedSource source(String url) {
        return new HubFeedSource(props(url), monitor, gateway, watermarks, quarantine);
    }

    @Test
    void readsEveryPageUntilCaughtUpAndStoresTheCursorAfterEachQueuedPage() {
        HubFeedSource s = source("http://127.0.0.1:" + county.port());
        s.poll();
        List<String> keys = submitted.stream().flatMap(List::stream).map(SourceItem::sourceKey).toList();
        int total = HubFeedFixtures.items();
        assertThat(keys).hasSize(total);
        assertThat(submitted).allSatisfy(p -> assertThat(p).allSatisfy(i ->
                assertThat(i.adapterId()).isEqualTo("hub-feed")));
        assertThat(stored.get("hub-feed")).isEqualTo(HubFeedDemoServer.cursor(total));
        assertThat(monitor.state("hub-feed").failing()).isFalse();

        // Caught up: the next poll asks from the stored cursor and submits nothing new.
        submitted.clear();
        s.poll();
        assertThat(submitted.stream().mapToInt(List::size).sum()).isZero();
        assertThat(stored.get("hub-feed")).isEqualTo(HubFeedDemoServer.cursor(total));
    }

    @Test
    void aPageThatCouldNotBeQueuedLeavesTheCursorAfterThePreviousPage() {
        org.mockito.Mockito.doAnswer(i -> {
            List<SourceItem> items = i.getArgument(0);
            if (!submitted.isEmpty()) {
                throw new IngestGateway.IngestException("broker down", null);
            }
            submitted.add(items);
            return new IngestOutcome(items.size(), 0, List.of(), List.of());
        }).when(gateway).submit(any());
        source("http://127.0.0.1:" + county.port()).poll();
        assertThat(stored.get("hub-feed")).isEqualTo(HubFeedDemoServer.cursor(3));
        assertThat(monitor.state("hub-feed").failing()).isTrue();
        assertThat(monitor.state("hub-feed").lastError()).contains("broker down");
    }

    @Test
    void anAnswerLargerThanTheLimitFailsThePollWithoutHoldingItAndTheCursorStays() {
        byte[] page = new byte[65 * 1024 * 1024]; // the default limit is 64 MiB; a valid page padded with blanks
        Arrays.fill(page, (byte) ' ');
        byte[] head = "{\"items\":[],\"next\":\"c1\"".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(head, 0, page, 0, head.length);
        page[page.length - 1] = '}';
        HttpServer huge = BadInputs.serve("/api/v1/feed", uri -> page);
        try {
            source(BadInputs.baseUrl(huge)).poll();
        } finally {
            huge.stop(0);
        }
        assertThat(monitor.state("hub-feed").failing()).isTrue();
        assertThat(monitor.state("hub-feed").lastError()).contains("larger than 67108864 bytes",
                "hub.adapters.hub-feed.max-page-size");
        verify(watermarks, never()).put(anyString(), anyString());
        verify(gateway, never()).submit(any());
    }

    @Test
    void aWrongCredentialFailsThePollNamingTheSettingAndMovesNothing() throws Exception {
        HubFeedSource s = new HubFeedSource(new HubFeedProperties(true, "http://127.0.0.1:" + county.port(), "city",
                "wrong", Duration.ofSeconds(1), 3, 100, Duration.ofSeconds(2), Duration.ofSeconds(5),
                DataSize.ofMegabytes(64)), monitor,
                gateway, watermarks, quarantine);
        s.poll();
        assertThat(monitor.state("hub-feed").lastError()).contains("401")
                .contains("hub.adapters.hub-feed.consumer and password");
        verify(watermarks, never()).put(anyString(), anyString());
        verify(gateway, never()).submit(any());
    }

    @Test
    void anXmlAnswerWithExternalEntitiesIsNeverParsedAsXmlOnlyQuarantinedAsNotJson() throws Exception {
        java.util.concurrent.atomic.AtomicInteger fetched = new java.util.concurrent.atomic.AtomicInteger();
        HttpServer evil = yingyan.testsupport.BadInputs.serve("/evil", uri -> {
            fetched.incrementAndGet();
            return new byte[0];
        });
        String url = yingyan.testsupport.BadInputs.baseUrl(evil);
        HttpServer bad = yingyan.testsupport.BadInputs.serve("/api/v1/feed", uri -> ("<?xml version=\"1.0\"?>"
                + "<!DOCTYPE records [<!ENTITY x SYSTEM \"" + url + "/evil\">]><records>&x;</records>")
                .getBytes(StandardCharsets.UTF_8));
        try {
            source(yingyan.testsupport.BadInputs.baseUrl(bad)).poll();
        } finally {
            bad.stop(0);
            evil.stop(0);
        }
        verify(quarantine).add(eq("hub-feed"), eq(null), anyString(), eq("(page)"),
                org.mockito.ArgumentMatchers.contains("is not JSON"), anyString(), any(), any());
        verify(watermarks, never()).put(anyString(), anyString());
        assertThat(fetched).hasValue(0);
    }

    @Test
    void anAnswerThatIsNotAFeedPageIsQuarantinedOnceAndTheCursorStays() throws Exception {
        HttpServer bad = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        bad.createContext("/api/v1/feed", ex -> {
            byte[] body = "{\"records\": []}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        bad.start();
        try {
            source("http://127.0.0.1:" + bad.getAddress().getPort()).poll();
        } finally {
            bad.stop(0);
        }
        verify(quarantine).add(eq("hub-feed"), eq(null), anyString(), eq("(page)"),
                org.mockito.ArgumentMatchers.contains("is not a feed page"), anyString(), any(), any());
        verify(watermarks, never()).put(anyString(), anyString());
        assertThat(monitor.state("hub-feed").failing()).isTrue();
    }
}
