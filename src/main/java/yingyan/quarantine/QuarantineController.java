package yingyan.quarantine;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import yingyan.audit.AuditInterceptor;
import yingyan.audit.PersonalDataRead;
import yingyan.canonical.ResidentIds;
import yingyan.web.BadRequestException;
import yingyan.web.CsvExport;
import yingyan.web.Cursors;
import yingyan.web.ListPage;
import yingyan.web.NotFoundException;
import yingyan.web.QueryParams;

/** {@code /api/v1/quarantine}: list, open (raw payload with resident IDs masked) and release. */
@RestController
@RequestMapping("/api/v1/quarantine")
@Tag(name = "quarantine", description = "Items that could not become valid"
        + " records: list and open (role VIEWER), release after a fix (role OPERATOR)")
class QuarantineController {
    /** The time a 400 for a malformed {@code from} / {@code to} shows as an example. */
    private static final String EXAMPLE_TIME = "2026-11-28T09:00:00+08:00";

    private final QuarantineStore store;
    private final QuarantineService service;

    /**
     * The list's query parameters, one set for the JSON and both CSV answers (each optional): adapter, state,
     * reason, from / to (ISO-8601 with offset), limit and the cursor after.
     */
    record ListRequest(String adapter, String state, String reason, String from, String to, Integer limit,
                       String after) {
    }

    QuarantineController(QuarantineStore store, QuarantineService service) {
        this.store = store;
        this.service = service;
    }

    @Operation(summary = "Quarantined items, newest first",
            description = "Filters: adapter, state (OPEN or RELEASED), reason (case-insensitive part of the reason),"
                    + " from / to (ISO-8601 date-time with offset: first received at or after from, before to)")
    @GetMapping
    Map<String, Object> list(@ParameterObject ListRequest q) {
        ListPage<QuarantineEntry> page = page(q);
        return ListPage.answer(page.items().stream().map(QuarantineController::view).toList(), page.next());
    }

    /** The JSON and the CSV list's page: the same filters, limit and cursor. */
    private ListPage<QuarantineEntry> page(ListRequest q) {
        int n = ListPage.limit(q.limit());
        if (q.state() != null && !q.state().equals(QuarantineEntry.OPEN)
                && !q.state().equals(QuarantineEntry.RELEASED)) {
            throw new BadRequestException("state", "state must be OPEN or RELEASED");
        }
        QuarantineStore.Filter filter = new QuarantineStore.Filter(q.adapter(), q.state(), q.reason(),
                QueryParams.time("from", q.from(), EXAMPLE_TIME), QueryParams.time("to", q.to(), EXAMPLE_TIME));
        return ListPage.of(store.list(filter, Cursors.decodeOrNull(q.after()), n + 1), n, QuarantineEntry::id);
    }

    static final List<String> CSV_COLUMNS = List.of("id", "adapter", "sourceKey", "field", "reason", "origin",
            "receivedAt", "lastSeenAt", "occurrences", "state", "payloadSha256", "rawSize", "releasedAt",
            "releaseOutcome", "recordId");

    /** The list as CSV (Accept: text/csv or format=csv): same filters, paging and role; cells neutralised. */
    @GetMapping(produces = CsvExport.TEXT_CSV_VALUE)
    @PersonalDataRead(PersonalDataRead.QUARANTINE_CSV)
    ResponseEntity<String> listCsv(@ParameterObject ListRequest q) {
        ListPage<QuarantineEntry> page = page(q);
        CsvExport csv = new CsvExport(CSV_COLUMNS);
        for (QuarantineEntry e : page.items()) {
            csv.row(CSV_COLUMNS.stream().map(view(e)::get).toList());
        }
        AuditInterceptor.note(CsvExport.rowsNote(page.items().size(), page.more()));
        return csv.answer(page.next());
    }

    @GetMapping(params = "format=csv")
    @PersonalDataRead(PersonalDataRead.QUARANTINE_CSV)
    ResponseEntity<String> listCsvByParameter(@ParameterObject ListRequest q) {
        return listCsv(q);
    }

    @GetMapping("/{id}")
    @PersonalDataRead(PersonalDataRead.QUARANTINE_RAW)
    Map<String, Object> one(@PathVariable long id) {
        QuarantineEntry e = store.find(id).orElseThrow(() -> new NotFoundException("no quarantined item " + id));
        Map<String, Object> out = view(e);
        // Shown to people: every resident-ID-shaped run masked.
        out.put("raw", ResidentIds.maskAll(store.raw(id).orElseThrow().text()));
        AuditInterceptor.note("raw payload of quarantine entry " + id + " (adapter " + e.adapter() + ", "
                + e.rawSize() + " bytes)");
        return out;
    }

    @PostMapping("/{id}/release")
    ResponseEntity<QuarantineService.ReleaseOutcome> release(@PathVariable long id) {
        QuarantineService.ReleaseOutcome o = service.release(id);
        AuditInterceptor.note(o.state() + (o.recordId() == null ? "" : " as " + o.recordId())
                + (o.detail() == null ? "" : " (" + o.detail() + ")"));
        return switch (o.state()) {
            case "NOT_FOUND" -> ResponseEntity.status(404).body(o);
            case "STILL_INVALID", "ALREADY_RELEASED" -> ResponseEntity.status(409).body(o);
            default -> ResponseEntity.ok(o);
        };
    }

    private static Map<String, Object> view(QuarantineEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("adapter", e.adapter());
        m.put("sourceKey", e.sourceKey());
        m.put("reason", e.reason());
        m.put("field", e.field());
        m.put("receivedAt", e.receivedAt());
        m.put("lastSeenAt", e.lastSeenAt());
        m.put("occurrences", e.occurrences());
        m.put("origin", e.origin());
        m.put("payloadSha256", e.payloadSha256());
        m.put("rawSize", e.rawSize());
        m.put("state", e.state());
        m.put("releasedAt", e.releasedAt());
        m.put("releaseOutcome", e.releaseOutcome());
        m.put("recordId", e.recordId());
        return m;
    }
}
