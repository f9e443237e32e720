package yingyan.supervision.alerts;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import yingyan.audit.AuditInterceptor;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalTime;
import yingyan.feed.PersonGrants;
import yingyan.supervision.Input;
import yingyan.supervision.Level;
import yingyan.web.BadRequestException;
import yingyan.web.CsvExport;
import yingyan.web.Cursors;
import yingyan.web.Grants;
import yingyan.web.ListPage;
import yingyan.web.NotFoundException;
import yingyan.web.QueryParams;

/**
 * {@code /api/v1/alerts}: alerts (alert v1, supervision.md §4) for people who read them (VIEWER, OPERATOR,
 * SUPERVISOR), a supervisor's acknowledgement, the re-evaluation jobs; and {@code /api/v1/records/{id}/alerts}.
 */
@RestController
@Tag(name = "alerts", description = "Supervision alerts: list, one alert and its history, acknowledge (SUPERVISOR)")
class AlertsController {
    static final List<String> CSV_COLUMNS = List.of("alertId", "rule", "ruleVersion", "level", "state", "recordIds",
            "regionCode", "departmentCode", "domain", "raisedAt", "resolvedAt", "clearedAt", "calendarMissing",
            "calendarVersion", "inputs", "message");
    static final int MAX_NOTE = 1000;
    /** The time a 400 for a malformed {@code from} / {@code to} shows as an example. */
    private static final String EXAMPLE_TIME = "2026-03-17T00:00:00+08:00";

    private final AlertQueries queries;
    private final RuleJobs jobs;
    private final PersonGrants grants;

    AlertsController(AlertQueries queries, RuleJobs jobs, PersonGrants grants) {
        this.queries = queries;
        this.jobs = jobs;
        this.grants = grants;
    }

    /**
     * The list's query parameters, one set for the JSON and both CSV answers (each optional), as the quarantine
     * list has them.
     */
    record ListRequest(String level, String rule, String regionCode, String department, String state, String from,
                       String to, Integer limit, String after) {
    }

    @Operation(summary = "Alerts, newest first",
            description = "{\"items\": [alert v1], \"next\": cursor or null}. Filters: level (INFO, YELLOW, RED), rule,"
                    + " regionCode, department (department code), state (open, resolved, cleared), from / to (raised"
                    + " at or after / before; ISO-8601 date-time with offset); limit 1..1000, default 100")
    @GetMapping(value = "/api/v1/alerts", produces = MediaType.APPLICATION_JSON_VALUE)
    String list(@ParameterObject ListRequest q, Authentication who) {
        ListPage<StoredAlert> page = page(q, who);
        return envelope(page.items(), page.next());
    }

    @Operation(summary = "Alerts as CSV (Accept: text/csv or format=csv)",
            description = "Same filters, paging and roles as the JSON list; the next cursor in X-Next-Cursor")
    @GetMapping(value = "/api/v1/alerts", produces = CsvExport.TEXT_CSV_VALUE)
    ResponseEntity<String> listCsv(@ParameterObject ListRequest q, Authentication who) {
        ListPage<StoredAlert> page = page(q, who);
        CsvExport csv = new CsvExport(CSV_COLUMNS);
        for (StoredAlert a : page.items()) {
            Alert v = a.toAlert();
            csv.row(Arrays.asList(v.alertId(), v.rule(), v.ruleVersion(), v.level(), v.state(),
                    String.join("; ", v.recordIds()), v.regionCode(), v.departmentCode(), v.domain(), time(v.raisedAt()),
                    time(v.resolvedAt()), time(v.clearedAt()), v.calendarMissing(), v.calendarVersion(),
                    String.join("; ", v.inputs().stream().map(AlertsController::input).toList()), v.message()));
        }
        return csv.answer(page.next());
    }

    @GetMapping(value = "/api/v1/alerts", params = "format=csv")
    ResponseEntity<String> listCsvByParameter(@ParameterObject ListRequest q, Authentication who) {
        return listCsv(q, who);
    }

    /** The counts' query parameters: the list's filters but the state (counts are of open alerts). */
    record CountsRequest(String level, String rule, String regionCode, String department, String from, String to) {
    }

    @Operation(summary = "Open YELLOW and RED alerts per department and per region",
            description = "{\"items\": [{\"by\": \"department\" | \"region\", \"code\", \"yellow\", \"red\"}],"
                    + " \"next\": null}: department rows first, then region rows, each most RED first. Counted in the"
                    + " database over the list's filters (level, rule, regionCode, department, from, to); state is"
                    + " always open. A set alert counts under its region (that of its newest record)")
    @GetMapping(value = "/api/v1/alerts/counts", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> counts(@ParameterObject CountsRequest q, Authentication who) {
        return ListPage.answer(countRows(q, who).stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("by", r.by());
            m.put("code", r.count().code());
            m.put("yellow", r.count().yellow());
            m.put("red", r.count().red());
            return m;
        }).toList(), null);
    }

    @Operation(summary = "The counts as CSV (Accept: text/csv or format=csv)",
            description = "Columns by, code, yellow, red; same filters and roles as the JSON counts")
    @GetMapping(value = "/api/v1/alerts/counts", produces = CsvExport.TEXT_CSV_VALUE)
    ResponseEntity<String> countsCsv(@ParameterObject CountsRequest q, Authentication who) {
        CsvExport csv = new CsvExport(List.of("by", "code", "yellow", "red"));
        for (CountRow r : countRows(q, who)) {
            csv.row(Arrays.asList(r.by(), r.count().code(), r.count().yellow(), r.count().red()));
        }
        return csv.answer(null);
    }

    @GetMapping(value = "/api/v1/alerts/counts", params = "format=csv")
    ResponseEntity<String> countsCsvByParameter(@ParameterObject CountsRequest q, Authentication who) {
        return countsCsv(q, who);
    }

    private record CountRow(String by, AlertQueries.Count count) {
    }

    private List<CountRow> countRows(CountsRequest q, Authentication who) {
        AlertQueries.Filter f = new AlertQueries.Filter(level(q.level()), blank(q.rule()),
                QueryParams.regionCode(q.regionCode()), blank(q.department()), Alert.State.OPEN,
                QueryParams.time("from", q.from(), EXAMPLE_TIME), QueryParams.time("to", q.to(), EXAMPLE_TIME));
        Grants within = grants.of(who);
        List<CountRow> rows = new ArrayList<>();
        queries.openCounts(f, "department_code", within).forEach(c -> rows.add(new CountRow("department", c)));
        queries.openCounts(f, "region_code", within).forEach(c -> rows.add(new CountRow("region", c)));
        return rows;
    }

    @Operation(summary = "One alert (alert v1)")
    @GetMapping(value = "/api/v1/alerts/{alertId}", produces = MediaType.APPLICATION_JSON_VALUE)
    String one(@PathVariable String alertId, Authentication who) {
        return CanonicalJson.write(find(alertId, who).toAlert());
    }

    @Operation(summary = "An alert's history and acknowledgements",
            description = "{\"alertId\", \"state\", \"events\": [{\"event\" (RAISED, UPDATED, RESOLVED, CLEARED), \"at\","
                    + " \"alert\": the alert as it stood after it}], \"acknowledgements\": [{\"at\", \"actor\", \"note\"}]}")
    @GetMapping(value = "/api/v1/alerts/{alertId}/history", produces = MediaType.APPLICATION_JSON_VALUE)
    String history(@PathVariable String alertId, Authentication who) {
        StoredAlert a = find(alertId, who);
        StringBuilder out = new StringBuilder("{\"alertId\":").append(CanonicalJson.write(a.alertId()))
                .append(",\"state\":\"").append(a.toAlert().state()).append("\",\"events\":[");
        List<AlertQueries.Event> events = queries.history(a.num());
        for (int i = 0; i < events.size(); i++) {
            out.append(i == 0 ? "" : ",").append(AlertFeedController.item(events.get(i)));
        }
        out.append("],\"acknowledgements\":").append(CanonicalJson.write(queries.acks(a.num()).stream()
                .map(AlertsController::ack).toList())).append('}');
        return out.toString();
    }

    @Operation(summary = "The alerts that name a record, newest first", description = "{\"items\": [alert v1], \"next\": null}")
    @GetMapping(value = "/api/v1/records/{recordId}/alerts", produces = MediaType.APPLICATION_JSON_VALUE)
    String ofRecord(@PathVariable String recordId, Authentication who) {
        return envelope(queries.ofRecord(recordId, grants.of(who)), null);
    }

    /** The body of an acknowledgement. */
    @Operation(summary = "Acknowledge an alert with a note (SUPERVISOR)",
            description = "Form field note=… (1..1000 characters). Changes nothing of the alert; recorded with who"
                    + " and when (GET …/history) and in the audit log.")
    @PostMapping(value = "/api/v1/alerts/{alertId}/acknowledge", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> acknowledge(@PathVariable String alertId, @RequestParam(required = false) String note,
                                    Authentication caller) {
        // A form field (or query parameter), not a JSON body: the hub parses no request body (BadInputInventoryTest).
        note = note == null ? "" : note.strip();
        if (note.isEmpty() || note.length() > MAX_NOTE) {
            throw new BadRequestException("note", "a note of 1 to " + MAX_NOTE + " characters is required");
        }
        StoredAlert a = find(alertId, caller);
        AlertQueries.Ack ack = queries.acknowledge(a.num(), caller.getName(), note);
        AuditInterceptor.note("acknowledged " + a.rule() + " alert " + a.alertId() + " (" + a.toAlert().state()
                + "): " + ack.note());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("alertId", a.alertId());
        out.putAll(ack(ack));
        return out;
    }

    @Operation(summary = "Re-evaluation jobs after a rule changed, newest first",
            description = "{\"items\": [{id, rule, fromVersion, toVersion, state (RUNNING, DONE, ABANDONED), done, total,"
                    + " progress 0..1, startedAt, changedAt, finishedAt}], \"next\": null}")
    @GetMapping(value = "/api/v1/alerts/jobs", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> jobs() {
        return ListPage.answer(jobs.list().stream().map(j -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", j.id());
            m.put("rule", j.rule());
            m.put("fromVersion", j.fromVersion());
            m.put("toVersion", j.toVersion());
            m.put("state", j.state());
            m.put("done", j.done());
            m.put("total", j.total());
            m.put("progress", j.progress());
            m.put("startedAt", time(j.startedAt()));
            m.put("changedAt", time(j.changedAt()));
            m.put("finishedAt", time(j.finishedAt()));
            return m;
        }).toList(), null);
    }

    /** The alert; outside the caller's grants "no alert", not 403 (a 403 would tell that it exists). */
    private StoredAlert find(String alertId, Authentication who) {
        return queries.one(alertId, grants.of(who)).orElseThrow(() -> new NotFoundException("no alert " + alertId));
    }

    private ListPage<StoredAlert> page(ListRequest q, Authentication who) {
        int n = ListPage.limit(q.limit());
        AlertQueries.Filter f = new AlertQueries.Filter(level(q.level()), blank(q.rule()),
                QueryParams.regionCode(q.regionCode()), blank(q.department()), state(q.state()),
                QueryParams.time("from", q.from(), EXAMPLE_TIME), QueryParams.time("to", q.to(), EXAMPLE_TIME));
        return ListPage.of(queries.list(f, Cursors.decodeOrNull(q.after()), n + 1, grants.of(who)), n,
                StoredAlert::num);
    }

    private static String envelope(List<StoredAlert> alerts, String next) {
        return ListPage.json(alerts, a -> CanonicalJson.write(a.toAlert()), next);
    }

    private static Map<String, Object> ack(AlertQueries.Ack a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", time(a.at()));
        m.put("actor", a.actor());
        m.put("note", a.note());
        return m;
    }

    private static String input(Input i) {
        return i.recordId() + " @ " + time(i.updatedAt()) + " sha256 " + i.payloadSha256();
    }

    static String time(OffsetDateTime t) {
        return t == null ? null : CanonicalTime.format(t.atZoneSameInstant(CanonicalTime.BEIJING).toOffsetDateTime());
    }

    private static String level(String level) {
        if (level == null) {
            return null;
        }
        try {
            return Level.valueOf(level.trim().toUpperCase(Locale.ROOT)).name();
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("level", "unknown level '" + level + "'; one of "
                    + Arrays.toString(Level.values()));
        }
    }

    private static Alert.State state(String state) {
        if (state == null) {
            return null;
        }
        try {
            return Alert.State.valueOf(state.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("state", "state must be open, resolved or cleared");
        }
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
