package yingyan.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The stand-in's overlap count, which TwoNodeClusterIT relies on to see two nodes polling one source. */
class FakeApprovalsSystemTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void oneRequestAfterAnother_neverTwoAtOnce() throws Exception {
        try (FakeApprovalsSystem source = new FakeApprovalsSystem("k")) {
            source.delay(50);
            for (int i = 0; i < 3; i++) {
                assertThat(send(source).join().statusCode()).isEqualTo(200);
            }
            assertThat(source.maxConcurrent()).isEqualTo(1);
            assertThat(source.overlapping()).isZero();
        }
    }

    @Test
    void twoPollersAtOnce_areSeen() throws Exception {
        try (FakeApprovalsSystem source = new FakeApprovalsSystem("k")) {
            source.delay(1_000);
            List<CompletableFuture<HttpResponse<String>>> both = List.of(send(source), send(source));
            both.forEach(CompletableFuture::join);
            assertThat(source.maxConcurrent()).isEqualTo(2);
            assertThat(source.overlapping()).isEqualTo(1);
        }
    }

    private static CompletableFuture<HttpResponse<String>> send(FakeApprovalsSystem source) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(source.baseUrl() + FakeApprovalsSystem.PATH
                + "?updatedSince=2026-01-01%2000:00:00&page=1&size=10")).header("X-Api-Key", "k").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
