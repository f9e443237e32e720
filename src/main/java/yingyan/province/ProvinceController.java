package yingyan.province;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import yingyan.audit.AuditInterceptor;
import yingyan.canonical.CanonicalTime;
import yingyan.web.BadRequestException;
import yingyan.web.NotFoundException;

/**
 * {@code /api/v1/province}: what the province has not yet accepted, the batches (stuck and failed ones
 * visible), and the two things a person may do: resend a rejected version, retry a batch.
 */
@RestController
@RequestMapping("/api/v1/province")
class ProvinceController {
    private static final Set<String> OWED_STATES = Set.of("PENDING", "SENDING", "REJECTED");
    private static final Set<String> BATCH_STATES = Set.of("SENDING", "DONE", "FAILED", "SPLIT", "RELEASED", "STUCK");

    private final DeliveryQueries queries;
    private final DeliveryLedger ledger;
    private final BatchSender sender;
    private final ProvinceProperties props;
    private final AlertPushStatus alerts;

    ProvinceController(DeliveryQueries queries, DeliveryLedger ledger, BatchSender sender, ProvinceProperties props,
                       AlertPushStatus alerts) {
        this.queries = queries;
        this.ledger = ledger;
        this.sender = sender;
        this.props = props;
        this.alerts = alerts;
    }

    @GetMapping("/pending")
    Map<String, Object> pending(@RequestParam(required = false) String state,
                                @RequestParam(required = false) Long after,
                                @RequestParam(required = false) Integer limit) {
        if (state != null && !OWED_STATES.contains(state)) {
            throw new BadRequestException("state", "state must be one of " + OWED_STATES);
        }
        int n = limit(limit);
        List<DeliveryQueries.Owed> rows = queries.owed(state, after == null ? 0 : after, n + 1);
        boolean more = rows.size() > n;
        List<Map<String, Object>> items = new ArrayList<>();
        for (DeliveryQueries.Owed o : more ? rows.subList(0, n) : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("recordId", o.recordId());
            m.put("seq", o.seq());
            m.put("state", o.state());
            m.put("since", CanonicalTime.format(o.since()));
            m.put("batchId", o.batchId());
            m.put("batchState", o.batchState());
            m.put("code", o.code());
            m.put("reason", o.reason());
            items.add(m);
        }
        Map<String, Long> counts = queries.owedCounts();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("notAccepted", counts.values().stream().mapToLong(Long::longValue).sum());
        out.put("counts", counts);
        out.put("ledger", queries.ledgerCounts());
        out.put("sender", Map.of("enabled", props.enabled(), "breaker", sender.breakerState().name()));
        out.put("alerts", alerts.status()); // the alert push beside the records' (its own ledger, breaker, backoff)
        out.put("items", items);
        out.put("next", more ? items.get(items.size() - 1).get("seq") : null);
        return out;
    }

    @PostMapping("/versions/{seq}/resend")
    ResponseEntity<Map<String, Object>> resend(@PathVariable long seq) {
        DeliveryQueries.Version v = queries.version(seq)
                .orElseThrow(() -> new NotFoundException("no record version " + seq + " in the delivery ledger"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seq", seq);
        out.put("recordId", v.recordId());
        var newer = queries.newerVersion(v);
        if (newer.isPresent()) {
            out.put("state", v.state());
            out.put("detail", "version " + newer.get() + " of this record is newer; it is the one reported");
            return noted(ResponseEntity.status(HttpStatus.CONFLICT).body(out));
        }
        if ("PENDING".equals(v.state()) || "SENDING".equals(v.state())) {
            out.put("state", v.state());
            out.put("detail", "already on its way");
            return noted(ResponseEntity.ok(out));
        }
        if (!"REJECTED".equals(v.state()) || !ledger.resend(seq)) {
            out.put("state", v.state());
            out.put("detail", "only a rejected version can be resent");
            return noted(ResponseEntity.status(HttpStatus.CONFLICT).body(out));
        }
        out.put("state", "PENDING");
        out.put("detail", "goes in the next batch");
        return noted(ResponseEntity.ok(out));
    }

    @GetMapping("/batches")
    Map<String, Object> batches(@RequestParam(required = false) String state,
                                @RequestParam(required = false) Integer limit) {
        if (state != null && !BATCH_STATES.contains(state)) {
            throw new BadRequestException("state", "state must be one of " + BATCH_STATES);
        }
        int n = limit(limit);
        boolean stuck = "STUCK".equals(state);
        List<Map<String, Object>> items = new ArrayList<>();
        for (Batch b : queries.batches(stuck ? "SENDING" : state, stuck ? 1000 : n)) {
            if (stuck && !stuck(b)) {
                continue;
            }
            items.add(view(b));
        }
        return Map.of("items", items.size() > n ? items.subList(0, n) : items);
    }

    @GetMapping("/batches/{batchId}")
    Map<String, Object> batch(@PathVariable String batchId) {
        return view(queries.batch(batchId).orElseThrow(() -> new NotFoundException("no batch " + batchId)));
    }

    @PostMapping("/batches/{batchId}/retry")
    ResponseEntity<Map<String, Object>> retry(@PathVariable String batchId) {
        Batch b = queries.batch(batchId).orElseThrow(() -> new NotFoundException("no batch " + batchId));
        if (!"FAILED".equals(b.state()) && !"SENDING".equals(b.state())) {
            Map<String, Object> out = view(b);
            out.put("detail", "a " + b.state() + " batch is not retried");
            return noted(ResponseEntity.status(HttpStatus.CONFLICT).body(out));
        }
        String now = ledger.retry(b);
        Map<String, Object> out = view(queries.batch(batchId).orElseThrow());
        out.put("detail", "RELEASED".equals(now)
                ? "the province refused this key with another body (422): its versions go in a new batch"
                : "goes again now, byte-identical under the same Idempotency-Key");
        return noted(ResponseEntity.ok(out));
    }

    /**
     * Retries every FAILED batch, oldest first (e.g. after a wrong secret made the province answer 400 to
     * batch after batch): each as {@code /batches/{batchId}/retry} would.
     */
    @PostMapping("/batches/retry-failed")
    Map<String, Object> retryFailed() {
        List<Batch> failed = new ArrayList<>(queries.batches("FAILED", 1000));
        Collections.reverse(failed);
        Map<String, Object> out = new LinkedHashMap<>();
        List<Map<String, Object>> items = new ArrayList<>();
        for (Batch b : failed) {
            items.add(Map.of("batchId", b.batchId(), "state", ledger.retry(b)));
        }
        out.put("retried", items.size());
        out.put("items", items);
        out.put("more", items.size() == 1000);
        AuditInterceptor.note("retried " + items.size() + " failed batches: " + items);
        return out;
    }

    /** Puts what the action came to (state and detail) in its audit entry. */
    private static ResponseEntity<Map<String, Object>> noted(ResponseEntity<Map<String, Object>> answer) {
        Map<String, Object> body = answer.getBody();
        AuditInterceptor.note(body.get("state") + ": " + body.get("detail"));
        return answer;
    }

    private boolean stuck(Batch b) {
        return "SENDING".equals(b.state()) && b.attempts() >= props.stuckAfterAttempts();
    }

    private Map<String, Object> view(Batch b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batchId", b.batchId());
        m.put("state", b.state());
        m.put("stuck", stuck(b));
        m.put("records", b.recordCount());
        m.put("bytes", b.bodySize());
        m.put("firstSeq", b.firstSeq());
        m.put("lastSeq", b.lastSeq());
        m.put("attempts", b.attempts());
        m.put("createdAt", CanonicalTime.format(b.createdAt()));
        m.put("lastAttemptAt", b.lastAttemptAt() == null ? null : CanonicalTime.format(b.lastAttemptAt()));
        m.put("nextAttemptAt", "SENDING".equals(b.state()) ? CanonicalTime.format(b.nextAttemptAt()) : null);
        m.put("httpStatus", b.httpStatus());
        m.put("lastError", b.lastError());
        m.put("failureReason", b.failureReason());
        m.put("completedAt", b.completedAt() == null ? null : CanonicalTime.format(b.completedAt()));
        return m;
    }

    private static int limit(Integer limit) {
        if (limit == null) {
            return 100;
        }
        if (limit < 1 || limit > 1000) {
            throw new BadRequestException("limit", "limit must be 1..1000");
        }
        return limit;
    }
}
