package yingyan.adapters.penalties;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import yingyan.adapters.penalties.soap.Penalty;
import yingyan.adapters.penalties.soap.QueryPenalties;
import yingyan.adapters.penalties.soap.QueryPenaltiesResponse;
import yingyan.adapters.penalties.soap.wsse.SecurityHeaderType;
import yingyan.canonical.CanonicalTime;
import yingyan.spi.DemoServer;
import yingyan.spi.DemoStandIn;

/**
 * The quick start's stand-in for the bureau's penalty service: {@code POST /ws/PenaltyService}, SOAP 1.1, checking
 * the wsse UsernameToken (PasswordText) against the adapter's configured credentials ({@code p:AuthFailed}
 * otherwise), and answering {@code queryPenalties} per the contract (since inclusive on updatedAt, ordered by
 * updatedAt then caseNo, pageNo from 1, a page past the end empty) from the cases of every
 * {@code test-data/penalties/<case>/input.xml}. A case whose updatedAt is not a time is not served (it could not
 * be placed in the order). Loopback only; stopped with the hub.
 */
@Component
@ConditionalOnProperty(name = {"hub.demo.enabled", "hub.adapters.penalties.enabled"}, havingValue = "true")
class PenaltiesDemoServer extends DemoServer {
    private static final Logger log = LoggerFactory.getLogger(PenaltiesDemoServer.class);
    private static final String WHO = "the penalties demo service";

    private final PenaltiesDemoProperties demo;
    private final PenaltiesProperties props;
    private List<Penalty> cases = List.of();

    PenaltiesDemoServer(PenaltiesDemoProperties demo, PenaltiesProperties props) {
        this.demo = demo;
        this.props = props;
    }

    @Override
    protected HttpServer start() throws IOException {
        cases = load(Path.of(demo.dataDir(), PenaltiesProperties.ADAPTER_ID));
        HttpServer server = DemoStandIn.listen(demo.penaltiesPort(), "/ws/PenaltyService", this::handle, WHO,
                "hub.demo.penalties-port", "hub.adapters.penalties.base-url");
        log.info("penalties demo service on http://127.0.0.1:{}/ws/PenaltyService with {} sample cases",
                server.getAddress().getPort(), cases.size());
        return server;
    }

    /** Every servable case of the sample envelopes, in the service's order. */
    static List<Penalty> load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            log.warn("{}: no sample folder {}; serving no cases", WHO, dir.toAbsolutePath());
            return List.of();
        }
        List<Path> inputs;
        try (Stream<Path> s = Files.list(dir)) {
            inputs = s.map(d -> d.resolve("input.xml")).filter(Files::isRegularFile).sorted().toList();
        }
        List<Penalty> all = new ArrayList<>();
        for (Path input : inputs) {
            try (InputStream in = Files.newInputStream(input)) {
                for (Penalty p : PenaltiesEnvelopes.readResponse(in).getPenalty()) {
                    if (updatedAt(p) != null) {
                        all.add(p);
                    } else {
                        log.info("{}: case {} of {} has no updatedAt to order it by; not served", WHO,
                                p.getCaseNo(), input);
                    }
                }
            }
        }
        all.sort(Comparator.comparing(PenaltiesDemoServer::updatedAt, OffsetDateTime.timeLineOrder())
                .thenComparing(p -> p.getCaseNo() == null ? "" : p.getCaseNo()));
        return List.copyOf(all);
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] answer;
        int status = 200;
        try (ex) {
            if (!"POST".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            PenaltiesEnvelopes.Request r;
            try {
                r = PenaltiesEnvelopes.readRequest(ex.getRequestBody());
            } catch (IOException e) {
                reply(ex, 500, PenaltiesEnvelopes.fault(PenaltiesEnvelopes.serverFault(), e.getMessage()));
                return;
            }
            if (!authenticated(r.security())) {
                answer = PenaltiesEnvelopes.fault(PenaltiesClient.AUTH_FAILED, "用户名或密码错误");
                status = 500;
            } else {
                answer = page(r.query());
            }
            reply(ex, status, answer);
        }
    }

    private boolean authenticated(SecurityHeaderType security) {
        if (security == null || security.getUsernameToken() == null) {
            return false;
        }
        var token = security.getUsernameToken();
        var password = token.getPassword();
        return token.getUsername() != null && props.username().equals(token.getUsername().getValue())
                && password != null && PenaltiesClient.PLAIN_TEXT_TYPE.equals(password.getType())
                && props.password().equals(password.getValue());
    }

    private byte[] page(QueryPenalties q) {
        OffsetDateTime since;
        try {
            since = CanonicalTime.parseSource(q.getSince());
        } catch (RuntimeException e) {
            return PenaltiesEnvelopes.fault(PenaltiesEnvelopes.serverFault(), "since 格式错误: " + q.getSince());
        }
        if (q.getPageNo() < 1 || q.getPageSize() < 1) {
            return PenaltiesEnvelopes.fault(PenaltiesEnvelopes.serverFault(), "pageNo and pageSize start at 1");
        }
        List<Penalty> matching = cases.stream().filter(p -> !updatedAt(p).isBefore(since)).toList();
        QueryPenaltiesResponse r = new QueryPenaltiesResponse();
        r.setTotal(matching.size());
        long from = (long) (q.getPageNo() - 1) * q.getPageSize();
        for (long i = from; i < Math.min(matching.size(), from + q.getPageSize()); i++) {
            r.getPenalty().add(matching.get((int) i));
        }
        return PenaltiesEnvelopes.response(r);
    }

    private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
        DemoStandIn.reply(ex, status, "text/xml; charset=utf-8", body);
    }

    private static OffsetDateTime updatedAt(Penalty p) {
        String t = p.getUpdatedAt();
        return t != null && CanonicalTime.isSourceTime(t) ? CanonicalTime.parseSource(t) : null;
    }
}
