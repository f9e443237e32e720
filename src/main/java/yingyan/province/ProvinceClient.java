package yingyan.province;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.Flow;

/**
 * One POST of a stored batch body: the exact bytes, {@code Idempotency-Key: batchId}, {@code X-Region},
 * {@code X-Signature}. The JDK client rather than camel-http because the body must go out byte for byte as
 * stored and every failure (timeout, reset, refused) must come back as a value the sender can file.
 */
class ProvinceClient {
    private final ProvinceProperties props;
    private final String url;
    private final HttpClient http;

    /** A client of the record batches' endpoint ({@code /batches}). */
    ProvinceClient(ProvinceProperties props) {
        this(props, props.batchesUrl());
    }

    /** A client of one of the province's endpoints: the same headers, signature and timeouts for each. */
    ProvinceClient(ProvinceProperties props, String url) {
        this.props = props;
        this.url = url;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(props.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The province's answer, or the reason nothing is known (status 0). */
    record Reply(int status, String body, Optional<Duration> retryAfter, String error) {
        /**
         * Nothing is known about the batch: no answer, 429, any 5xx, and any status the contract does not
         * define for this endpoint (401, 403, 404 ... are the hub's or the network's configuration, not
         * the batch: failing batch after batch on them would empty the backlog into FAILED).
         */
        boolean unknown() {
            return status != 200 && status != 409 && status != 400 && status != 413 && status != 422;
        }
    }

    Reply post(String batchId, byte[] body) {
        return post(batchId, body, () -> { });
    }

    /**
     * As {@link #post(String, byte[])}, calling {@code onWire} as the request goes out: when the client takes
     * up the body, after the connection is made and the headers are sent, so never earlier than the province
     * can count it.
     */
    Reply post(String batchId, byte[] body, Runnable onWire) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url))
                .timeout(props.readTimeout())
                .header("Content-Type", "application/json")
                .header("X-Region", props.region())
                .header("Idempotency-Key", batchId)
                .header("X-Signature", ProvinceSigner.sign(body, props.secret()))
                .POST(new OnWire(HttpRequest.BodyPublishers.ofByteArray(body), onWire))
                .build();
        try {
            HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(r.statusCode(), new String(r.body(), StandardCharsets.UTF_8),
                    r.headers().firstValue("Retry-After").flatMap(ProvinceClient::seconds), null);
        } catch (IOException e) {
            return new Reply(0, null, Optional.empty(), e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(0, null, Optional.empty(), "interrupted (hub shutting down)");
        }
    }

    /** A body publisher that says when the client subscribes to it, i.e. when the body starts to go out. */
    private record OnWire(HttpRequest.BodyPublisher body, Runnable onWire) implements HttpRequest.BodyPublisher {
        @Override
        public long contentLength() {
            return body.contentLength();
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            onWire.run();
            body.subscribe(subscriber);
        }
    }

    private static Optional<Duration> seconds(String v) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v.trim()))));
        } catch (NumberFormatException e) {
            try {
                var at = ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                return Optional.of(Duration.between(Instant.now(), at.toInstant()).isNegative()
                        ? Duration.ZERO : Duration.between(Instant.now(), at.toInstant()));
            } catch (RuntimeException ignored) {
                return Optional.empty();
            }
        }
    }
}
