package yingyan.adapters.penalties;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import yingyan.adapters.penalties.soap.Party;
import yingyan.adapters.penalties.soap.Penalty;
import yingyan.adapters.penalties.soap.QueryPenaltiesResponse;
import yingyan.canonical.CanonicalTime;
import yingyan.testsupport.Latency;

/**
 * The bureau's service in a test: SOAP 1.1 over the JDK's HTTP server, envelopes through SAAJ and the generated
 * types. It answers from a mutable list of cases per the contract (since inclusive, ordered by updatedAt then
 * caseNo, pageNo from 1), unless a test's script answers a call first (a fault, a change between two calls).
 * Every request is kept (headers and parsed envelope).
 */
final class FakePenaltyService implements AutoCloseable {
    /** One call as received. */
    record Call(PenaltiesEnvelopes.Request request, String soapAction, String contentType, byte[] raw) {
    }

    /** What a script answers: null = answer from the cases. */
    record Answer(int status, byte[] body) {
    }

    final List<Penalty> cases = new CopyOnWriteArrayList<>();
    final List<Call> calls = new CopyOnWriteArrayList<>();
    volatile Function<Integer, Answer> script = n -> null;
    /** How long the bureau takes to answer a call (none unless a test makes it a slow service). */
    final Latency latency = new Latency(Duration.ZERO);
    private final HttpServer server;

    FakePenaltyService() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ws/PenaltyService", ex -> {
            Answer a;
            try {
                byte[] raw = ex.getRequestBody().readAllBytes();
                PenaltiesEnvelopes.Request r = PenaltiesEnvelopes.readRequest(new ByteArrayInputStream(raw));
                calls.add(new Call(r, ex.getRequestHeaders().getFirst("SOAPAction"),
                        ex.getRequestHeaders().getFirst("Content-Type"), raw));
                a = script.apply(calls.size());
                if (a == null) {
                    a = new Answer(200, page(r.query().getSince(), r.query().getPageNo(), r.query().getPageSize()));
                }
            } catch (IOException | RuntimeException e) {
                ex.close();
                throw e;
            }
            Answer answer = a;
            latency.answer(() -> {
                try (ex) {
                    ex.getResponseHeaders().set("Content-Type", "text/xml; charset=utf-8");
                    ex.sendResponseHeaders(answer.status(), answer.body().length);
                    try (OutputStream out = ex.getResponseBody()) {
                        out.write(answer.body());
                    }
                }
            });
        });
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    byte[] page(String since, int pageNo, int pageSize) {
        OffsetDateTime from = CanonicalTime.parseSource(since);
        List<Penalty> matching = new ArrayList<>(cases.stream()
                .filter(p -> !CanonicalTime.parseSource(p.getUpdatedAt()).isBefore(from)).toList());
        matching.sort(Comparator.comparing((Penalty p) -> CanonicalTime.parseSource(p.getUpdatedAt()))
                .thenComparing(Penalty::getCaseNo));
        QueryPenaltiesResponse r = new QueryPenaltiesResponse();
        r.setTotal(matching.size());
        int start = (pageNo - 1) * pageSize;
        for (int i = start; i < Math.min(matching.size(), start + pageSize); i++) {
            r.getPenalty().add(matching.get(i));
        }
        return PenaltiesEnvelopes.response(r);
    }

    /** A good ORG case. */
    static Penalty penalty(String caseNo, String updatedAt) {
        Penalty p = new Penalty();
        p.setCaseNo(caseNo);
        p.setRegion("370705");
        Party party = new Party();
        party.setType("ORG");
        party.setCreditCode("91370700MA3R1T2U33");
        party.setValue("某某建设集团有限公司");
        p.setParty(party);
        p.setDecision("罚款");
        p.setFineAmount("5000.00");
        p.setFiledAt("2026-03-01 09:00:00");
        p.setStatus("立案");
        p.setUpdatedAt(updatedAt);
        return p;
    }

    @Override
    public void close() {
        server.stop(0);
        latency.close();
    }
}
