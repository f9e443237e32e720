package yingyan.ingest;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import yingyan.web.ListPage;

/**
 * {@code /api/v1/dead-letters}: the messages the broker gave up on after its delivery attempts (role VIEWER),
 * and moving one back to the ingest queue once the cause is fixed (role OPERATOR; audited).
 */
@RestController
@RequestMapping("/api/v1/dead-letters")
@Tag(name = "dead-letters", description = "Batches dead-lettered by the"
        + " broker: list (role VIEWER), move back to the ingest queue after a fix (role OPERATOR)")
class DeadLetterController {
    private final DeadLetters letters;

    DeadLetterController(DeadLetters letters) {
        this.letters = letters;
    }

    @Operation(summary = "Dead-lettered messages, oldest first (nothing is consumed)")
    @GetMapping
    Map<String, Object> list(@RequestParam(required = false) Integer limit) {
        int n = ListPage.limit(limit);
        List<DeadLetters.Letter> page = letters.list(n + 1);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("queue", letters.queueName());
        out.put("items", page.stream().limit(n).map(DeadLetterController::view).toList());
        out.put("more", page.size() > n);
        return out;
    }

    @Operation(summary = "Move one dead-lettered batch back to the ingest queue",
            description = "In one broker transaction: taken off the dead-letter queue only once queued again. Only"
                    + " messages that came from the ingest queue are moved. 200 MOVED, 404 NOT_FOUND, 409 REFUSED.")
    @PostMapping("/{messageId}/requeue")
    ResponseEntity<Map<String, Object>> requeue(@PathVariable String messageId) {
        DeadLetters.Moved m = letters.requeue(messageId);
        AuditInterceptor.note(m.state() + ": " + m.detail());
        HttpStatus status = switch (m.state()) {
            case "MOVED" -> HttpStatus.OK;
            case "NOT_FOUND" -> HttpStatus.NOT_FOUND;
            default -> HttpStatus.CONFLICT;
        };
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("messageId", m.messageId());
        out.put("state", m.state());
        out.put("detail", m.detail());
        return ResponseEntity.status(status).body(out);
    }

    private static Map<String, Object> view(DeadLetters.Letter l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("messageId", l.messageId());
        m.put("from", l.from());
        m.put("sentAt", l.sentAt() == null ? null : CanonicalTime.format(l.sentAt().atOffset(ZoneOffset.UTC)));
        m.put("deliveries", l.deliveries());
        m.put("bytes", l.bytes());
        m.put("adapter", l.adapter());
        m.put("records", l.records());
        m.put("problem", l.problem());
        return m;
    }
}
