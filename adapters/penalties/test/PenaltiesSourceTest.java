package yingyan.adapters.penalties;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import yingyan.adapters.penalties.soap.Penalty;
import yingyan.spi.AdapterMonitor;
import yingyan.spi.IngestGateway;
import yingyan.spi.IngestOutcome;
import yingyan.spi.SourceItem;
import yingyan.spi.Watermarks;

/**
 * The source and its CXF client against a SOAP service in the test ({@link FakePenaltyService}), one test per
 * quirk of the contract: the UsernameToken header, paging to the end, a case moving while paged, the watermark
 * only after submit, and each fault (AuthFailed → DOWN, Busy → busy-backoff, Server → retry).
 */
class PenaltiesSourceTest {
    private final FakePenaltyService service;
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
    private IngestGateway gateway = items -> {
        submitted.addAll(items);
        return new IngestOutcome(items.size(), 0, List.of(), List.of());
    };

    PenaltiesSourceTest() throws Exception {
        service = new FakePenaltyService();
    }

    @AfterEach
    void stop() {
        service.close();
    }

    private PenaltiesSource source(int pageSize, int maxAttempts, Duration initialBackoff, Duration busyBackoff) {
        PenaltiesProperties props = new PenaltiesProperties(true, service.baseUrl(), "hub-user", "hub-pass",
                Duration.ofSeconds(60), pageSize, Duration.ofSeconds(90), "2026-01-01 00:00:00", Duration.ofSeconds(2),
                Duration.ofSeconds(5), maxAttempts, initialBackoff, busyBackoff, Duration.ofMinutes(5));
        return new PenaltiesSource(props, monitor, gateway, watermarks);
    }

    private PenaltiesSource source(int pageSize) {
        return source(pageSize, 3, Duration.ofMillis(10), Duration.ofMillis(10));
    }

    private List<String> keys() {
        return submitted.stream().map(SourceItem::sourceKey).distinct().sorted().toList();
    }

    @Test
    void sendsTheUsernameTokenAsPasswordTextInAMustUnderstandWsseHeader() {
        service.cases.add(FakePenaltyService.penalty("C-1", "2026-03-01 10:00:00"));
        source(10).poll();

        assertThat(service.calls).hasSize(1);
        FakePenaltyService.Call call = service.calls.get(0);
        var token = call.request().security().getUsernameToken();
        assertThat(token.getUsername().getValue()).isEqualTo("hub-user");
        assertThat(token.getPassword().getValue()).isEqualTo("hub-pass");
        assertThat(token.getPassword().getType()).isEqualTo(PenaltiesClient.PLAIN_TEXT_TYPE);
        assertThat(call.soapAction()).isEqualTo("\"queryPenalties\"");
        assertThat(call.contentType()).startsWith("text/xml"); // SOAP 1.1
        String raw = new String(call.raw(), StandardCharsets.UTF_8);
        assertThat(raw).contains("mustUnderstand=\"1\"").contains(PenaltiesClient.WSSE_NS);
        assertThat(call.request().query().getSince()).isEqualTo("2026-01-01 00:00:00");
        assertThat(call.request().query().getPageNo()).isEqualTo(1);
        assertThat(keys()).containsExactly("C-1");
    }

    @Test
    void pagesToTheEndThenTheNextPollStartsAtTheWatermarkMinusTheOverlap() {
        for (int i = 1; i <= 5; i++) {
            service.cases.add(FakePenaltyService.penalty("C-" + i, "2026-03-01 10:00:0" + i));
        }
        source(2).poll();

        assertThat(monitor.state("penalties").failing()).isFalse();
        assertThat(keys()).containsExactly("C-1", "C-2", "C-3", "C-4", "C-5");
        assertThat(stored.get("penalties")).isEqualTo("2026-03-01 10:00:05");
        // After each full page the query restarts at its last case's second; the pass ends at the first page with
        // fewer than pageSize cases (since 10:00:05: C-5 alone).
        assertThat(service.calls.get(service.calls.size() - 1).request().query().getSince())
                .isEqualTo("2026-03-01 10:00:05");
        assertThat(service.calls.get(service.calls.size() - 1).request().query().getPageNo()).isEqualTo(1);

        service.calls.clear();
        source(2).poll();
        assertThat(service.calls.get(0).request().query().getSince()).isEqualTo("2026-03-01 09:58:35");
    }

    @Test
    void aCaseUpdatedWhilePagingOneSecondNeitherLosesNorSkipsACase() {
        // Six cases in one second: the hub walks them by pageNo. After page 1 is served, C-1 is updated (it moves
        // to a later second) and every later case shifts up one place: C-3 slides onto page 1.
        for (int i = 1; i <= 6; i++) {
            service.cases.add(FakePenaltyService.penalty("C-" + i, "2026-03-01 10:00:00"));
        }
        service.script = n -> {
            if (n == 2) {
                Penalty moved = service.cases.remove(0);
                moved.setUpdatedAt("2026-03-01 10:00:30");
                moved.setStatus("告知");
                service.cases.add(moved);
            }
            return null;
        };
        source(2).poll();

        assertThat(monitor.state("penalties").failing()).as(monitor.state("penalties").lastError()).isFalse();
        assertThat(keys()).containsExactly("C-1", "C-2", "C-3", "C-4", "C-5", "C-6");
        assertThat(submitted).anySatisfy(i -> {
            assertThat(i.sourceKey()).isEqualTo("C-1");
            assertThat(i.text()).contains("告知");
        });
        assertThat(stored.get("penalties")).isEqualTo("2026-03-01 10:00:30");
    }

    @Test
    void theWatermarkMovesOnlyAfterThePageWasSubmitted() {
        for (int i = 1; i <= 4; i++) {
            service.cases.add(FakePenaltyService.penalty("C-" + i, "2026-03-01 10:00:0" + i));
        }
        int[] submits = {0};
        gateway = items -> {
            if (++submits[0] == 2) {
                throw new IllegalStateException("the broker is gone");
            }
            submitted.addAll(items);
            return new IngestOutcome(items.size(), 0, List.of(), List.of());
        };
        source(2).poll();

        assertThat(monitor.state("penalties").failing()).isTrue();
        // Page 1 (C-1, C-2) was queued; page 2 was not, so the watermark stays at page 1's newest.
        assertThat(stored.get("penalties")).isEqualTo("2026-03-01 10:00:02");
    }

    @Test
    void authFailedPutsTheAdapterDownWithTheReasonAndBacksOffWithoutRetrying() {
        service.script = n -> new FakePenaltyService.Answer(500,
                PenaltiesEnvelopes.fault(PenaltiesClient.AUTH_FAILED, "用户名或密码错误"));
        source(10, 5, Duration.ofMillis(10), Duration.ofMillis(10)).poll();

        AdapterMonitor.AdapterState state = monitor.state("penalties");
        assertThat(state.failing()).isTrue();
        assertThat(state.lastError()).contains("refused the UsernameToken", "p:AuthFailed",
                "hub.adapters.penalties.username", "YINGYAN_PENALTIES_PASSWORD").doesNotContain("hub-pass");
        assertThat(state.nextAttemptAt()).isAfter(Instant.now());
        assertThat(service.calls).as("no retry on AuthFailed").hasSize(1);
        assertThat(stored).isEmpty();
    }

    @Test
    void busyWaitsTheBusyBackoffAndAsksAgain() {
        service.cases.add(FakePenaltyService.penalty("C-1", "2026-03-01 10:00:00"));
        service.script = n -> n <= 2 ? new FakePenaltyService.Answer(500,
                PenaltiesEnvelopes.fault(PenaltiesClient.BUSY, "系统繁忙")) : null;
        long start = System.nanoTime();
        // Busy waits busy-backoff (200 ms, then 400 ms); initial-backoff (1 h) would not end within the test.
        source(10, 5, Duration.ofHours(1), Duration.ofMillis(200)).poll();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        assertThat(monitor.state("penalties").failing()).isFalse();
        assertThat(service.calls).hasSize(3);
        assertThat(keys()).containsExactly("C-1");
    }

    @Test
    void aServerFaultIsRetriedAndOnlyFailsThePollAfterMaxAttempts() {
        service.cases.add(FakePenaltyService.penalty("C-1", "2026-03-01 10:00:00"));
        service.script = n -> n == 1 ? new FakePenaltyService.Answer(500,
                PenaltiesEnvelopes.fault(PenaltiesEnvelopes.serverFault(), "数据库连接失败")) : null;
        source(10, 3, Duration.ofMillis(10), Duration.ofHours(1)).poll();
        assertThat(monitor.state("penalties").failing()).isFalse();
        assertThat(service.calls).hasSize(2);
        assertThat(keys()).containsExactly("C-1");

        service.calls.clear();
        service.script = n -> new FakePenaltyService.Answer(500,
                PenaltiesEnvelopes.fault(PenaltiesEnvelopes.serverFault(), "数据库连接失败"));
        monitor.state("penalties").pollNow();
        source(10, 3, Duration.ofMillis(10), Duration.ofHours(1)).poll();
        assertThat(service.calls).hasSize(3);
        assertThat(monitor.state("penalties").failing()).isTrue();
        assertThat(monitor.state("penalties").lastError()).contains("fault Server", "数据库连接失败",
                "3 of 3 attempts");
    }

    @Test
    void theStableFormIgnoresPrefixesAndWhitespaceButNotContent() throws Exception {
        String a = """
                <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
                    xmlns:p="http://gsj.example/penalty/2009"><soapenv:Body><p:queryPenaltiesResponse>
                  <p:total>1</p:total>
                  <p:penalty><p:caseNo>C-1</p:caseNo><p:party type="PERSON" idNo="370702198503150010">王某某</p:party>
                    <p:fineAmount>5000</p:fineAmount><p:updatedAt>2026-03-01 10:00:00</p:updatedAt></p:penalty>
                </p:queryPenaltiesResponse></soapenv:Body></soapenv:Envelope>""";
        String b = """
                <S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>
                <x:queryPenaltiesResponse xmlns:x="http://gsj.example/penalty/2009"><x:total>1</x:total><x:penalty>
                <x:caseNo>C-1</x:caseNo>
                <x:party idNo="370702198503150010" type="PERSON">王某某</x:party>
                <x:fineAmount>5000</x:fineAmount>
                <x:updatedAt>2026-03-01 10:00:00</x:updatedAt>
                </x:penalty></x:queryPenaltiesResponse></S:Body></S:Envelope>""";
        Penalty pa = read(a);
        Penalty pb = read(b);
        assertThat(PenaltyForm.hash(pa)).isEqualTo(PenaltyForm.hash(pb));
        pb.setFineAmount("5000.00");
        assertThat(PenaltyForm.hash(pa)).isNotEqualTo(PenaltyForm.hash(pb));
    }

    @Test
    void anEnabledAdapterNeedsItsCredentials() {
        PenaltiesProperties none = new PenaltiesProperties(true, "http://x", "", "", Duration.ofSeconds(1), 1,
                Duration.ZERO, "2026-01-01 00:00:00", Duration.ofSeconds(1), Duration.ofSeconds(1), 1,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertThat(none.isCredentialPresent()).isFalse();
        assertThat(none.toString()).doesNotContain("password=");
    }

    private static Penalty read(String envelope) throws Exception {
        return PenaltiesEnvelopes.readResponse(new ByteArrayInputStream(envelope.getBytes(StandardCharsets.UTF_8)))
                .getPenalty().get(0);
    }
}
