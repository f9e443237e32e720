package yingyan.adapters.publicfunds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpAuthenticationException;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import yingyan.canonical.CanonicalJson;
import yingyan.spi.AdapterMonitor;
import yingyan.testsupport.Services;

/**
 * The treasury's RabbitMQ refuses the hub's credential: the adapter is DOWN in health with a reason that names the
 * broker's refusal and the settings to fix, and it keeps trying only with a growing pause, not in a tight loop.
 * Against the machine's RabbitMQ (skipped without one, mandatory with YINGYAN_REQUIRE_SERVICES=true).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class PublicFundsCredentialsIT {
    @LocalServerPort
    int port;
    @Autowired
    AdapterMonitor monitor;

    private static String broker;

    @BeforeAll
    static void broker() {
        broker = Services.rabbitMq(); // skipped here without a RabbitMQ, failed under YINGYAN_REQUIRE_SERVICES=true
    }

    @DynamicPropertySource
    static void adapter(DynamicPropertyRegistry r) {
        r.add("hub.adapters.public-funds.enabled", () -> "true");
        r.add("hub.adapters.public-funds.addresses", () -> broker);
        r.add("hub.adapters.public-funds.username", Services::rabbitUser);
        r.add("hub.adapters.public-funds.password", () -> "not-the-treasury-password");
        r.add("hub.adapters.public-funds.queue", () -> "treasury.payments.credentials-it");
        r.add("hub.adapters.public-funds.backoff-initial", () -> "200ms");
        r.add("hub.adapters.public-funds.backoff-max", () -> "2s");
    }

    @Test
    void aRefusedCredentialIsDownWithTheReasonAndRetriedWithAGrowingPause() throws Exception {
        await("public-funds DOWN in health").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    JsonNode h = health();
                    assertThat(h.path("status").asText()).isEqualTo("DOWN");
                    assertThat(h.path("details").path("reason").asText())
                            .contains("ACCESS_REFUSED", "hub.adapters.public-funds.username", "YINGYAN_PUBLIC_FUNDS_PASSWORD");
                });
        AdapterMonitor.AdapterState state = monitor.state(PublicFundsProperties.ADAPTER_ID);
        int failuresAt = state.consecutiveFailures();
        await("a later attempt, refused again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> state.consecutiveFailures() > failuresAt);
        // Without a pause, the connection would be retried hundreds of times in these seconds.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
                .until(() -> state.consecutiveFailures() <= failuresAt + 3);
        assertThat(state.lastError()).doesNotContain("not-the-treasury-password");
    }

    @Test
    void onceTheBrokerTakesTheCredentialTheAdapterIsNoLongerDown() {
        AdapterMonitor own = new AdapterMonitor();
        PublicFundsProperties props = new PublicFundsProperties(true, broker, Services.rabbitUser(), "wrong", "/",
                "treasury.payments.credentials-it", 1, Duration.ofMillis(200), Duration.ofSeconds(2));
        CachingConnectionFactory factory = new PublicFundsBroker().publicFundsConnectionFactory(props, own);
        try {
            assertThatThrownBy(factory::createConnection).isInstanceOf(AmqpAuthenticationException.class);
            assertThat(own.state(PublicFundsProperties.ADAPTER_ID).failing()).isTrue();
            assertThat(own.state(PublicFundsProperties.ADAPTER_ID).lastError()).contains("ACCESS_REFUSED");

            factory.setPassword(Services.rabbitPassword()); // the operator fixed the credential
            factory.createConnection().close();
            assertThat(own.state(PublicFundsProperties.ADAPTER_ID).failing()).isFalse();
        } finally {
            factory.destroy();
        }
    }

    private JsonNode health() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/health/adapters/public-funds"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "operator:operator-secret".getBytes(StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        return CanonicalJson.mapper().readTree(r.body());
    }
}
