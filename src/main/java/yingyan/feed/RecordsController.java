package yingyan.feed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import yingyan.audit.AuditInterceptor;
import yingyan.audit.PersonalDataRead;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalTime;
import yingyan.canonical.CanonicalXml;
import yingyan.web.BadRequestException;
import yingyan.web.CsvExport;
import yingyan.web.Cursors;
import yingyan.web.ListPage;
import yingyan.web.NotFoundException;
import yingyan.web.QueryParams;

/** {@code /api/v1/records}: the current records, one record in canonical v1, and its history with lineage. */
@RestController
@RequestMapping("/api/v1/records")
@Tag(name = "records", description = "Current records, one record in canonical v1, its history (role VIEWER)")
class RecordsController {
    private final RecordQueries queries;
    private final PersonGrants grants;

    RecordsController(RecordQueries queries, PersonGrants grants) {
        this.queries = queries;
        this.grants = grants;
    }

    @Operation(summary = "Current records, newest applied first",
            description = "{\"items\": [canonical v1 records], \"next\": cursor or null}; limit 1..1000, default 100")
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    String list(@RequestParam(required = false) String domain, @RequestParam(required = false) String regionCode,
                @RequestParam(required = false) Integer limit, @RequestParam(required = false) String after,
                Authentication who) {
        ListPage<RecordQueries.Row> page = page(domain, regionCode, limit, after, who);
        return ListPage.json(page.items(), RecordQueries.Row::body, page.next());
    }

    @Operation(summary = "The records of one adapter's source key",
            description = "{\"items\": [{\"recordId\", \"adapter\", \"sourceKey\"}], \"next\": null}; usually one"
                    + " (the recordId is adapter:key), several when a department repeats keys across tables")
    @GetMapping(value = "/lookup", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> lookup(@RequestParam(required = false) String adapter,
                                         @RequestParam(required = false) String sourceKey,
                                         Authentication who) {
        if (adapter == null || adapter.isBlank()) {
            throw new BadRequestException("adapter", "adapter is required");
        }
        if (sourceKey == null || sourceKey.isBlank()) {
            throw new BadRequestException("sourceKey", "sourceKey is required");
        }
        List<Map<String, Object>> items = queries.bySourceKey(adapter.trim(), sourceKey.trim(), grants.of(who)).stream()
                .map(id -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("recordId", id);
                    m.put("adapter", adapter.trim());
                    m.put("sourceKey", sourceKey.trim());
                    return m;
                }).toList();
        return ListPage.answer(items, null);
    }

    static final List<String> CSV_COLUMNS = List.of("recordId", "domain", "regionCode", "status", "departmentCode",
            "departmentName", "verticallyManaged", "matterCode", "matterName", "partyType", "partyName",
            "partyCreditCode", "partyIdMasked", "amounts", "timeline", "legalWorkingDays", "promisedWorkingDays",
            "sourceSystem", "sourceKey", "sourceUpdatedAt", "fetchedAt", "payloadSha256");

    @Operation(summary = "Current records as CSV (Accept: text/csv or format=csv)",
            description = "Same filters, paging and role as the JSON list; one row per record, the next cursor in"
                    + " X-Next-Cursor; cells neutralised against CSV injection (see CsvExport)")
    @GetMapping(produces = CsvExport.TEXT_CSV_VALUE)
    @PersonalDataRead(PersonalDataRead.RECORDS_CSV)
    ResponseEntity<String> listCsv(@RequestParam(required = false) String domain,
                                   @RequestParam(required = false) String regionCode,
                                   @RequestParam(required = false) Integer limit,
                                   @RequestParam(required = false) String after, Authentication who) {
        ListPage<RecordQueries.Row> page = page(domain, regionCode, limit, after, who);
        CsvExport csv = new CsvExport(CSV_COLUMNS);
        for (RecordQueries.Row row : page.items()) {
            csv.row(csvRow(row.body()));
        }
        AuditInterceptor.note(CsvExport.rowsNote(page.items().size(), page.more()));
        return csv.answer(page.next());
    }

    /** The JSON and the CSV list's page: the same filters, limit and cursor, within the caller's grants. */
    private ListPage<RecordQueries.Row> page(String domain, String regionCode, Integer limit, String after,
                                             Authentication who) {
        int n = ListPage.limit(limit);
        return ListPage.of(queries.current(QueryParams.domain(domain), QueryParams.regionCode(regionCode),
                Cursors.decodeOrNull(after), n + 1, grants.of(who)), n, RecordQueries.Row::seq);
    }

    @GetMapping(params = "format=csv")
    @PersonalDataRead(PersonalDataRead.RECORDS_CSV)
    ResponseEntity<String> listCsvByParameter(@RequestParam(required = false) String domain,
                                              @RequestParam(required = false) String regionCode,
                                              @RequestParam(required = false) Integer limit,
                                              @RequestParam(required = false) String after,
                                              Authentication who) {
        return listCsv(domain, regionCode, limit, after, who);
    }

    private static List<Object> csvRow(String body) {
        JsonNode r;
        try {
            r = CanonicalJson.mapper().readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("a stored record is not JSON", e);
        }
        StringBuilder amounts = new StringBuilder();
        r.path("amounts").forEach(a -> amounts.append(amounts.isEmpty() ? "" : "; ").append(a.path("kind").asText())
                .append(' ').append(a.path("value").asText()));
        StringBuilder timeline = new StringBuilder();
        r.path("timeline").forEach(t -> timeline.append(timeline.isEmpty() ? "" : "; ").append(t.path("step").asText())
                .append(' ').append(t.path("at").asText()).append(t.path("actor").isTextual()
                        ? " " + t.path("actor").asText() : ""));
        return Arrays.asList(text(r, "/recordId"), text(r, "/domain"), text(r, "/regionCode"),
                text(r, "/status"), text(r, "/department/code"), text(r, "/department/name"),
                text(r, "/department/verticallyManaged"), text(r, "/matter/code"), text(r, "/matter/name"),
                text(r, "/party/type"), text(r, "/party/name"), text(r, "/party/creditCode"),
                text(r, "/party/idMasked"), amounts.toString(), timeline.toString(),
                text(r, "/limits/legalWorkingDays"), text(r, "/limits/promisedWorkingDays"), text(r, "/source/system"),
                text(r, "/source/key"), text(r, "/source/updatedAt"), text(r, "/source/fetchedAt"),
                text(r, "/source/payloadSha256"));
    }

    private static String text(JsonNode r, String pointer) {
        JsonNode n = r.at(pointer);
        return n.isMissingNode() || n.isNull() ? null : n.asText();
    }

    @Operation(summary = "One record in canonical v1 (JSON; application/xml gives the XSD form)")
    @GetMapping(value = "/{recordId}", produces = MediaType.APPLICATION_JSON_VALUE)
    String one(@PathVariable String recordId, Authentication who) {
        // Outside the caller's grants it is "no record", not 403: a 403 would tell that it exists.
        return queries.body(recordId, grants.of(who)).orElseThrow(() -> new NotFoundException("no record " + recordId));
    }

    @GetMapping(value = "/{recordId}", produces = MediaType.APPLICATION_XML_VALUE)
    String oneXml(@PathVariable String recordId, Authentication who) {
        return CanonicalXml.write(CanonicalJson.read(one(recordId, who)));
    }

    @Operation(summary = "Every applied version of a record, oldest first, with its lineage")
    @GetMapping(value = "/{recordId}/history", produces = MediaType.APPLICATION_JSON_VALUE)
    JsonNode history(@PathVariable String recordId, Authentication who) throws Exception {
        List<RecordQueries.Version> versions = queries.history(recordId, grants.of(who));
        if (versions.isEmpty()) {
            throw new NotFoundException("no record " + recordId);
        }
        ObjectNode root = CanonicalJson.mapper().createObjectNode();
        root.put("recordId", recordId);
        ArrayNode items = root.putArray("versions");
        for (RecordQueries.Version v : versions) {
            ObjectNode o = items.addObject();
            o.put("seq", v.seq());
            ObjectNode lineage = o.putObject("lineage");
            lineage.put("adapter", v.adapter());
            lineage.put("sourceKey", v.sourceKey());
            lineage.put("payloadSha256", v.payloadSha256());
            lineage.put("updatedAt", CanonicalTime.format(v.updatedAt()));
            lineage.put("fetchedAt", CanonicalTime.format(v.fetchedAt()));
            lineage.put("appliedAt", CanonicalTime.format(v.appliedAt()));
            o.put("conflict", v.conflict());
            if (v.delivery() == null) {
                o.putNull("delivery");
            } else {
                ObjectNode d = o.putObject("delivery");
                d.put("state", v.delivery().state());
                d.put("since", v.delivery().since() == null ? null : CanonicalTime.format(v.delivery().since()));
                d.put("batchId", v.delivery().batchId());
                d.put("acceptedAt", v.delivery().acceptedAt() == null ? null
                        : CanonicalTime.format(v.delivery().acceptedAt()));
                d.put("rejectCode", v.delivery().rejectCode());
                d.put("rejectReason", v.delivery().rejectReason());
            }
            o.set("record", CanonicalJson.mapper().readTree(v.body()));
        }
        return root;
    }

}
