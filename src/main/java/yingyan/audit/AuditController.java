package yingyan.audit;

import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import yingyan.web.Cursors;
import yingyan.web.ListPage;

/** {@code GET /api/v1/audit}: the operator actions, newest first (role VIEWER or OPERATOR). */
@RestController
@RequestMapping("/api/v1/audit")
@Tag(name = "audit", description = "Operator actions: who, when, what,"
        + " outcome; each entry hash-chained to the one before")
class AuditController {
    private final AuditLog log;

    AuditController(AuditLog log) {
        this.log = log;
    }

    @GetMapping
    Map<String, Object> list(@RequestParam(required = false) String actor,
                             @RequestParam(required = false) String action,
                             @RequestParam(required = false) Integer limit,
                             @RequestParam(required = false) String after) {
        int n = ListPage.limit(limit);
        ListPage<AuditEntry> page = ListPage.of(log.list(actor, action, Cursors.decodeOrNull(after), n + 1), n,
                AuditEntry::seq);
        return ListPage.answer(page.items(), page.next());
    }
}
