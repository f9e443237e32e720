package yingyan.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code yingyan status} while an adapter's first poll reads a large backlog (minutes): it says the poll is under
 * way and how far it got, not just "never" and 0. The hub is a WireMock answering as the hub's health does.
 */
class StatusPollProgressTest {
    private final WireMockServer hub = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));

    @BeforeEach
    void start() {
        hub.start();
    }

    @AfterEach
    void stop() {
        hub.stop();
    }

    @Test
    void aPollUnderWayShowsReadQueuedPositionAndRate() {
        String started = Instant.now().minusSeconds(185).toString();
        hub.stubFor(get(urlPathEqualTo("/actuator/health")).willReturn(okJson("""
                {"status":"UP","components":{"adapters":{"status":"UP","components":{
                  "approvals":{"status":"UP","details":{"route":"Started","lastSuccessAt":null,"queued":118500,
                    "quarantineOpen":3,"poll":{"startedAt":"%s","read":120000,"queued":118500,"quarantined":12,
                      "position":"updatedSince 2026-03-01 10:00:00, page 7","perSecond":648.6,
                      "updatedAt":"%s"}}},
                  "hub-feed":{"status":"UP","details":{"route":"Started","lastSuccessAt":"%s","queued":40,
                    "quarantineOpen":0}}}},
                 "db":{"status":"UP"},"jms":{"status":"UP"}}}""".formatted(started, started, started))));
        hub.stubFor(get(urlPathEqualTo("/api/v1/province/pending")).willReturn(okJson("""
                {"notAccepted":0,"counts":{"PENDING":0,"SENDING":0,"REJECTED":0},"items":[],
                 "sender":{"enabled":false,"breaker":"CLOSED"}}""")));

        CliRun r = CliRun.run("viewer-secret", "status", "--url", "http://127.0.0.1:" + hub.port(), "--user", "viewer");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).containsPattern("approvals\\s+UP\\s+never, polling\\s+118500\\s+3")
                .containsPattern("approvals is polling since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\(3m \\d+s ago\\):"
                        + " 120,000 read, 118,500 queued, 12 quarantined; at updatedSince 2026-03-01 10:00:00, page 7;"
                        + " 648.6/s")
                .doesNotContain("hub-feed is polling");
    }
}
