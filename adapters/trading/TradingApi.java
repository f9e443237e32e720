package yingyan.adapters.trading;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.endpoint.RestClientClientCredentialsTokenResponseClient;
import org.springframework.security.oauth2.client.http.OAuth2ErrorResponseErrorHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.web.client.RestClient;
import yingyan.canonical.CanonicalTime;
import yingyan.spi.HttpRetry;
import yingyan.spi.InFlightRequests;
import yingyan.spi.PollingSource.SourceFailure;
import yingyan.spi.RequestPacer;

/**
 * The trading centre's change API: one request at a time, with its bearer token from Spring Security's OAuth2
 * client (client credentials, HTTP Basic at {@code /oauth/token}; the token is kept and renewed before it
 * expires). A 401 drops the token and gets one new one for one retry; a 401 on a token fetched for this very
 * request is a credential failure. Requests are paced to the centre's rate limit ({@code max-requests-per-second},
 * 5 per client). 429 and 502–504 wait their Retry-After (up to {@code max-retry-after}, read against the injected
 * clock) or back off ({@link HttpRetry}); a 503 inside the maintenance window ends the poll quietly, whether or
 * not polls are skipped there.
 */
class TradingApi {
    static final String REGISTRATION = "trading";
    private static final String PRINCIPAL = "yingyan-hub";
    private static final Logger log = LoggerFactory.getLogger(TradingApi.class);

    /** What one change request gave. */
    sealed interface Answer permits Page, Gone, Maintenance {
    }

    record Page(byte[] body) implements Answer {
    }

    /** 410: the cursor expired; restart the type from its watermark. */
    record Gone() implements Answer {
    }

    /** 503 inside the nightly maintenance window: not a failure, the poll ends here. */
    record Maintenance() implements Answer {
    }

    /** The longest answer taken: a page of 200 items is far below it. */
    private static final long MAX_PAGE_BYTES = 64L << 20;

    private final TradingProperties props;
    private final HttpClient http;
    private final InMemoryOAuth2AuthorizedClientService tokens;
    private final AuthorizedClientServiceOAuth2AuthorizedClientManager manager;
    private final InFlightRequests inFlight = new InFlightRequests(TradingProperties.ADAPTER_ID);
    private final HttpRetry retry;
    private final RequestPacer pacer;
    private volatile Clock clock = Clock.system(CanonicalTime.BEIJING);
    private String lastToken;

    TradingApi(TradingProperties props) {
        this.props = props;
        this.retry = new HttpRetry(inFlight, TradingProperties.ADAPTER_ID, props.maxAttempts(), Duration.ofMillis(500),
                props.maxBackoff(), props.maxRetryAfter());
        this.pacer = new RequestPacer(props.maxRequestsPerSecond());
        this.http = HttpClient.newBuilder().connectTimeout(props.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        ClientRegistration registration = ClientRegistration.withRegistrationId(REGISTRATION)
                .clientId(props.clientId())
                .clientSecret(props.clientSecret())
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .tokenUri(props.root() + "/oauth/token")
                .build();
        var registrations = new InMemoryClientRegistrationRepository(registration);
        this.tokens = new InMemoryOAuth2AuthorizedClientService(registrations);
        this.manager = new AuthorizedClientServiceOAuth2AuthorizedClientManager(registrations, tokens);
        var tokenClient = new RestClientClientCredentialsTokenResponseClient();
        tokenClient.setRestClient(tokenRestClient(props));
        manager.setAuthorizedClientProvider(OAuth2AuthorizedClientProviderBuilder.builder()
                .clientCredentials(c -> c.accessTokenResponseClient(tokenClient))
                .build());
    }

    /** The token endpoint's client as Spring Security builds it by default, with the adapter's timeouts. */
    private static RestClient tokenRestClient(TradingProperties props) {
        var factory = new JdkClientHttpRequestFactory(HttpClient.newBuilder()
                .connectTimeout(props.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER).build());
        factory.setReadTimeout(props.readTimeout());
        return RestClient.builder()
                .requestFactory(factory)
                .messageConverters(c -> {
                    c.clear();
                    c.add(new FormHttpMessageConverter());
                    c.add(new OAuth2AccessTokenResponseHttpMessageConverter());
                })
                .defaultStatusHandler(new OAuth2ErrorResponseErrorHandler())
                .build();
    }

    void useClock(Clock c) {
        this.clock = c;
        retry.useClock(c);
    }

    /** Whether this poll is to be skipped: inside the maintenance window, with skip-maintenance on. */
    boolean skipsPoll() {
        return props.skipMaintenance() && inMaintenanceWindow();
    }

    /** Whether now is inside the nightly maintenance window (Beijing time). */
    boolean inMaintenanceWindow() {
        LocalTime t = OffsetDateTime.now(clock).atZoneSameInstant(CanonicalTime.BEIJING).toLocalTime();
        LocalTime from = props.maintenanceStart();
        LocalTime to = props.maintenanceEnd();
        return from.isBefore(to) ? !t.isBefore(from) && t.isBefore(to) : !t.isBefore(from) || t.isBefore(to);
    }

    static String describe(String type, OffsetDateTime since, String cursor) {
        return "GET /exchange/v2/transactions?type=" + type + "&changedSince=" + CanonicalTime.format(since)
                + (cursor == null ? "" : "&cursor=…");
    }

    /** One page of {@code type}'s changes since {@code since} (inclusive), or from {@code cursor}. */
    Answer changes(String type, OffsetDateTime since, String cursor) {
        URI uri = URI.create(props.root() + "/exchange/v2/transactions?type=" + type + "&changedSince="
                + URLEncoder.encode(CanonicalTime.format(since), StandardCharsets.UTF_8) + "&limit=" + props.pageSize()
                + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
        String what = describe(type, since, cursor);
        boolean retriedUnauthorised = false;
        for (int attempt = 1; ; attempt++) {
            String token = token();
            boolean fresh = !token.equals(lastToken);
            lastToken = token;
            pacer.pace(retry);
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(props.readTimeout())
                    .header("Authorization", "Bearer " + token).header("Accept", "application/json").GET().build();
            String problem;
            Duration wait = retry.backoff(attempt);
            try {
                HttpResponse<byte[]> r = retry.send(http, request, MAX_PAGE_BYTES, props.connectTimeout(),
                        props.readTimeout());
                int sc = r.statusCode();
                if (sc == 200) {
                    return new Page(r.body());
                }
                if (sc == 401) {
                    if (fresh || retriedUnauthorised) {
                        throw new SourceFailure("the trading centre refused a token it had just issued (401 to "
                                + what + "): the client's credentials or rights are wrong; check"
                                + " hub.adapters.trading.client-id and YINGYAN_TRADING_CLIENT_SECRET");
                    }
                    // Revoked or expired early: one new token, one retry (not counted as an attempt).
                    log.info("trading: 401 to {}; fetching a new token for one retry", what);
                    tokens.removeAuthorizedClient(REGISTRATION, PRINCIPAL);
                    retriedUnauthorised = true;
                    attempt--;
                    continue;
                }
                if (sc == 410) {
                    return new Gone();
                }
                if (sc == 503 && inMaintenanceWindow()) {
                    return new Maintenance();
                }
                if (sc != 429 && sc != 502 && sc != 503 && sc != 504) {
                    throw new SourceFailure("the trading centre answered " + sc + " to " + what + ": "
                            + HttpRetry.snippet(r.body()));
                }
                problem = "answered " + sc + HttpRetry.retryAfterNote(r);
                wait = retry.waitAfter(r, attempt);
            } catch (IOException e) {
                problem = retry.problem(e, props.root(), props.connectTimeout(), props.readTimeout());
            }
            retry.failed(attempt, problem, what, wait);
        }
    }

    /** The current access token, fetched (or renewed before expiry) by the OAuth2 client. */
    private String token() {
        OAuth2AuthorizedClient client;
        try {
            client = manager.authorize(OAuth2AuthorizeRequest.withClientRegistrationId(REGISTRATION)
                    .principal(PRINCIPAL).build());
        } catch (OAuth2AuthorizationException e) {
            throw new SourceFailure("the trading centre's token endpoint refused the client credentials ("
                    + e.getError().getErrorCode() + (e.getError().getDescription() == null ? ""
                    : ": " + e.getError().getDescription()) + "); check hub.adapters.trading.client-id and"
                    + " YINGYAN_TRADING_CLIENT_SECRET");
        } catch (RuntimeException e) {
            throw new SourceFailure("no token from " + props.root() + "/oauth/token: " + e.getMessage(), e);
        }
        if (client == null) {
            throw new SourceFailure("no token from " + props.root() + "/oauth/token");
        }
        return client.getAccessToken().getTokenValue();
    }

    void stop() {
        retry.stop();
    }
}
