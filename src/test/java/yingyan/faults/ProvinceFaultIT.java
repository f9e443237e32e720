package yingyan.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import yingyan.canonical.CanonicalTime;
import yingyan.ingest.FixtureMapper;
import yingyan.spi.IngestGateway;
import yingyan.testsupport.FakeProvince;
import yingyan.testsupport.FakeProvince.Mode;
import yingyan.testsupport.Hubs;
import yingyan.testsupport.NothingLost;
import yingyan.testsupport.NothingLost.Produced;
import yingyan.testsupport.Ticker;

/**
 * The province failing in every way the contract names, one after the other, while records and newer
 * versions keep arriving: 500s, answers later than the read timeout, connection resets, and batches the
 * province records before the connection drops (the hub cannot know they were accepted). When it is
 * back, every version still owed is accepted exactly once: a batch goes again only under its own
 * Idempotency-Key, byte for byte, and the province's 409 settles it. Backoffs are a test's length
 * (100 ms doubling to 1 s, breaker open 500 ms) but the same code paths as minutes in production.
 */
@Tag("fault")
class ProvinceFaultIT {
    static final DateTimeFormatter T = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    static final LocalDateTime T0 = LocalDateTime.of(2026, 3, 1, 8, 0, 0);

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void provinceFailingEveryWayForAWhile_everyVersionOwedIsAcceptedExactlyOnce() throws Exception {
        try (FakeProvince province = new FakeProvince(HubKillFaultIT.SECRET).timeoutDelay(1_500)) {
            Map<String, Object> props = new java.util.LinkedHashMap<>(HubKillFaultIT.province(province));
            props.put("hub.province.batch-max-records", "20");
            props.put("hub.province.poll-interval", "100ms");
            props.put("hub.province.read-timeout", "1s");
            props.put("hub.province.initial-backoff", "100ms");
            props.put("hub.province.max-backoff", "1s");
            props.put("hub.province.breaker-open-for", "500ms");
            ConfigurableApplicationContext hub = Hubs.start(props, FixtureMapper.Config.class);
            try {
                IngestGateway gateway = hub.getBean(IngestGateway.class);
                JdbcTemplate db = hub.getBean(JdbcTemplate.class);
                Map<String, Produced> produced = new ConcurrentHashMap<>();
                // Every tick two new records and a newer version of an older one.
                try (Ticker load = Ticker.every(Duration.ofMillis(100), i -> {
                    String older = String.format("P-%04d-a", i / 2);
                    gateway.submit(List.of(item(String.format("P-%04d-a", i), T0.plusSeconds(i), produced),
                            item(String.format("P-%04d-b", i), T0.plusSeconds(i), produced),
                            item(older, T0.plusDays(1).plusSeconds(i), produced)));
                })) {
                    province.mode(Mode.ACCEPT);
                    awaitRequests(province, "3 batches accepted", () -> province.batches() >= 3);
                    for (Mode fault : List.of(Mode.ERROR_500, Mode.TIMEOUT, Mode.RESET, Mode.ACCEPT_THEN_RESET)) {
                        province.mode(fault);
                        awaitRequests(province, "3 requests met " + fault, () -> province.requests(fault) >= 3);
                    }
                    province.mode(Mode.ACCEPT);
                    int before = province.requests(Mode.ACCEPT);
                    awaitRequests(province, "the province back", () -> province.requests(Mode.ACCEPT) >= before + 3);
                    load.stop();
                }
                NothingLost.awaitSettled(db, produced, province, Duration.ofSeconds(60));

                NothingLost.check("province failing (500, timeout, reset, accepted then reset)", db,
                        List.of(FixtureMapper.ID), produced, province);
                assertThat(province.resendsAnswered409())
                        .as("batches the province had recorded before the connection dropped went again and got 409")
                        .isPositive();
                assertThat(province.requestsPerKey().values()).as("batches sent more than once (same key)")
                        .anyMatch(n -> n > 1);
            } finally {
                hub.close();
            }
        }
    }

    private static void awaitRequests(FakeProvince province, String what, java.util.concurrent.Callable<Boolean> until) {
        Awaitility.await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(until);
        System.out.println(what + ": " + province.requests() + " requests, " + province.batches() + " batches");
    }

    private static yingyan.spi.SourceItem item(String key, LocalDateTime updatedAt, Map<String, Produced> produced) {
        produced.merge(FixtureMapper.ID + ":" + key, Produced.at(updatedAt.atOffset(CanonicalTime.BEIJING)),
                (a, b) -> a.updatedAt().isAfter(b.updatedAt()) ? a : b);
        return FixtureMapper.item(key, updatedAt.format(T), "1.00");
    }
}
