package yingyan.audit;

import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import yingyan.web.BadRequestException;
import yingyan.web.Cursors;

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
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > 1000) {
            throw new BadRequestException("limit", "limit must be between 1 and 1000");
        }
        List<AuditEntry> rows = log.list(actor, action, after == null ? null : Cursors.decode(after), n + 1);
        boolean more = rows.size() > n;
        List<AuditEntry> page = more ? rows.subList(0, n) : rows;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", page);
        out.put("next", more ? Cursors.encode(page.get(page.size() - 1).seq()) : null);
        return out;
    }
}
