package yingyan.adapters.trading;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import yingyan.spi.AdapterMonitor;
import yingyan.spi.IngestGateway;
import yingyan.spi.IngestOutcome;
import yingyan.spi.Quarantine;
import yingyan.spi.SourceItem;
import yingyan.spi.Watermarks;

/** The quick start's demo centre, read by the real source: every sample of the three types, then nothing new. */
class TradingDemoServerTest {
    /** The demo's samples are all dated in the past: nothing is dated after the hub's clock. */
    private static final Quarantine NO_QUARANTINE = (adapter, key, origin, field, reason, sha, raw, charset) -> {
        throw new AssertionError("quarantined by the source: " + key + " " + reason);
    };

    @Test
    void theSourceReadsEverySampleOfTheThreeTypesFromTheDemoCentre() throws Exception {
        TradingDemoServer centre = new TradingDemoServer(new TradingDemoProperties(true, 0, "test-data"),
                props("http://127.0.0.1:1", "demo-secret"));
        centre.afterPropertiesSet();
        try {
            Map<String, String> stored = new HashMap<>();
            List<SourceItem> submitted = new ArrayList<>();
            Watermarks watermarks = new Watermarks() {
                @Override
                public Optional<String> get(String adapter) {
                    return Optional.ofNullable(stored.get(adapter));
                }

                @Override
                public void put(String adapter, String position) {
                    stored.put(adapter, position);
                }
            };
            IngestGateway gateway = items -> {
                submitted.addAll(items);
                List<String> ids = items.stream().filter(i -> i.sourceKey() != null)
                        .map(i -> "trading:" + i.sourceKey()).toList();
                return new IngestOutcome(ids.size(), 0, ids, List.of());
            };
            AdapterMonitor monitor = new AdapterMonitor();
            TradingSource source = new TradingSource(
                    props("http://127.0.0.1:" + centre.address().getPort(), "demo-secret"), gateway, watermarks,
                    monitor, NO_QUARANTINE);
            source.poll();

            assertThat(monitor.state("trading").failing()).as(monitor.state("trading").lastError()).isFalse();
            assertThat(submitted).extracting(i -> i.text().contains("\"type\":\"BIDDING\"")).contains(true);
            assertThat(submitted).extracting(SourceItem::sourceKey)
                    .contains("WF-GC-2026-0123", "WF-KY-2026-0007", "WF-CQ-2026-0031")
                    .doesNotContain("WF-GC-2026-0403"); // type LAND: no stream of the centre serves it
            TradingPositions positions = TradingPositions.parse(stored.get("trading"));
            assertThat(positions.earliest()).isNotNull();

            int first = submitted.size();
            source.poll(); // changedSince is the watermark minus the overlap: the newest items come again, unchanged
            List<SourceItem> again = List.copyOf(submitted.subList(first, submitted.size()));
            List<SourceItem> before = List.copyOf(submitted.subList(0, first));
            assertThat(again).as("the second poll reads the overlap again").isNotEmpty();
            assertThat(again).allSatisfy(i -> assertThat(before).as("an item read again is one read before")
                    .anySatisfy(b -> {
                        assertThat(b.sourceKey()).isEqualTo(i.sourceKey());
                        assertThat(b.text()).isEqualTo(i.text());
                    }));
            assertThat(TradingPositions.parse(stored.get("trading")).format()).isEqualTo(positions.format());
        } finally {
            centre.destroy();
        }
    }

    @Test
    void aWrongSecretIsRefusedAtTheTokenEndpoint() throws Exception {
        TradingDemoServer centre = new TradingDemoServer(new TradingDemoProperties(true, 0, "test-data"),
                props("http://127.0.0.1:1", "demo-secret"));
        centre.afterPropertiesSet();
        try {
            AdapterMonitor monitor = new AdapterMonitor();
            new TradingSource(props("http://127.0.0.1:" + centre.address().getPort(), "wrong"),
                    items -> IngestOutcome.empty(), new Watermarks() {
                        @Override
                        public Optional<String> get(String adapter) {
                            return Optional.empty();
                        }

                        @Override
                        public void put(String adapter, String position) {
                        }
                    }, monitor, NO_QUARANTINE).poll();
            assertThat(monitor.state("trading").lastError()).contains("invalid_client");
        } finally {
            centre.destroy();
        }
    }

    private static TradingProperties props(String url, String secret) {
        return new TradingProperties(true, url, "yingyan-hub", secret, Duration.ofSeconds(1), 2,
                Duration.ofSeconds(90), "2000-01-01T00:00:00+08:00", Duration.ofSeconds(2), Duration.ofSeconds(5), 2,
                Duration.ofSeconds(1), 3, false, LocalTime.of(1, 0), LocalTime.of(1, 30), Duration.ofSeconds(60), 5,
                Duration.ofMinutes(5));
    }
}
