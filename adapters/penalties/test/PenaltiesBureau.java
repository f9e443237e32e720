package yingyan.adapters.penalties;

import java.io.IOException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import yingyan.adapters.penalties.soap.Penalty;
import yingyan.canonical.CanonicalTime;
import yingyan.testsupport.NothingLost.Produced;

/**
 * The bureau's SOAP penalty service for tests elsewhere (the cluster proof): the tests' {@link FakePenaltyService}
 * on a free loopback port, with cases filed and then changed as the bureau would, remembering each case's newest
 * updatedAt.
 */
public final class PenaltiesBureau implements AutoCloseable {
    private static final DateTimeFormatter T = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final LocalDateTime T0 = LocalDateTime.of(2026, 3, 2, 9, 0, 0);

    private final FakePenaltyService service = new FakePenaltyService();

    public PenaltiesBureau() throws IOException {
    }

    /** The hub's settings to read this service. */
    public Map<String, Object> hubSettings() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("hub.adapters.penalties.enabled", "true");
        p.put("hub.adapters.penalties.base-url", service.baseUrl());
        p.put("hub.adapters.penalties.username", "yingyan-hub");
        p.put("hub.adapters.penalties.password", "cluster-test-password");
        p.put("hub.adapters.penalties.poll-interval", "1s");
        p.put("hub.adapters.penalties.page-size", "100");
        p.put("hub.adapters.penalties.start-from", "2026-01-01 00:00:00");
        p.put("hub.adapters.penalties.read-timeout", "20s");
        return p;
    }

    /** Cases {@code from}… filed ({@code 立案}), a second apart. */
    public void file(int from, int count) {
        for (int i = from; i < from + count; i++) {
            service.cases.add(FakePenaltyService.penalty(caseNo(i), T0.plusSeconds(i).format(T)));
        }
    }

    /** Cases {@code from}… (filed before) moved on to {@code 告知} a day later: a newer version of each. */
    public void notifyParties(int from, int count) {
        for (int i = from; i < from + count; i++) {
            Penalty p = FakePenaltyService.penalty(caseNo(i), T0.plusDays(1).plusSeconds(i).format(T));
            p.setStatus("告知");
            service.cases.set(i, p);
        }
    }

    /** Every case with its newest updatedAt. */
    public Map<String, Produced> produced() {
        Map<String, Produced> out = new LinkedHashMap<>();
        for (Penalty p : service.cases) {
            out.put("penalties:" + p.getCaseNo(), Produced.at(CanonicalTime.parseSource(p.getUpdatedAt())));
        }
        return out;
    }

    /** Calls the service answered so far. */
    public int calls() {
        return service.calls.size();
    }

    private static String caseNo(int i) {
        return String.format("GSCF-CL-%05d", i);
    }

    @Override
    public void close() {
        service.close();
    }
}
