package yingyan.quality;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import yingyan.feed.PersonGrants;
import yingyan.web.BadRequestException;
import yingyan.web.CsvExport;
import yingyan.web.ForbiddenException;
import yingyan.web.Grants;
import yingyan.web.QueryParams;

/** {@code /api/v1/quality}: reporting quality per department and month, and accuracy per adapter (supervision §5). */
@RestController
@RequestMapping("/api/v1/quality")
@Tag(name = "quality", description = "Reporting quality per department and month (role VIEWER)")
class QualityController {
    private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");
    static final int TREND_MONTHS = 12;
    static final int MAX_TREND_MONTHS = 36;

    static final List<String> CSV_COLUMNS = List.of("month", "sourceSystem", "departmentCode", "versions", "records",
            "versionsPerRecord", "correctedRecords", "timelinessP50Seconds", "timelinessP95Seconds",
            "incompleteRecords", "incompleteShare", "missing");
    static final List<String> ACCURACY_COLUMNS = List.of("month", "adapter", "reason", "quarantined", "itemsRead",
            "share");

    private final QualityReport report;
    private final PersonGrants grants;

    QualityController(QualityReport report, PersonGrants grants) {
        this.report = report;
        this.grants = grants;
    }

    @Operation(summary = "A month's reporting quality",
            description = "{\"month\", \"items\": [per (sourceSystem, departmentCode): versions, records,"
                    + " versionsPerRecord, correctedRecords, timelinessP50Seconds, timelinessP95Seconds,"
                    + " incompleteRecords, incompleteShare, missing], \"accuracy\": [per adapter: itemsRead,"
                    + " quarantined, share, byReason], \"versionsNotYetCounted\", \"next\": null}; month YYYY-MM"
                    + " (Beijing), default the current one")
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> month(@RequestParam(required = false) String month, Authentication who) {
        QualityReport.Month m = report.month(month(month, "month"), grants.of(who));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("month", m.month());
        out.put("items", m.departments());
        out.put("accuracy", m.accuracy());
        out.put("versionsNotYetCounted", m.versionsNotYetCounted());
        out.put("next", null);
        return out;
    }

    @Operation(summary = "A month's reporting quality as CSV (Accept: text/csv or format=csv)",
            description = "One row per department; part=accuracy: one row per adapter and reason, and one per adapter"
                    + " with reason (all)")
    @GetMapping(produces = CsvExport.TEXT_CSV_VALUE)
    ResponseEntity<String> monthCsv(@RequestParam(required = false) String month,
                                    @RequestParam(required = false) String part, Authentication who) {
        Grants g = grants.of(who);
        QualityReport.Month m = report.month(month(month, "month"), g);
        if (part == null || part.isBlank() || part.equals("departments")) {
            CsvExport csv = new CsvExport(CSV_COLUMNS);
            for (QualityReport.Department d : m.departments()) {
                List<String> missing = new ArrayList<>();
                d.missing().forEach((item, n) -> missing.add(item + " " + n));
                csv.row(Arrays.asList(d.month(), d.sourceSystem(), d.departmentCode(), d.versions(), d.records(),
                        d.versionsPerRecord(), d.correctedRecords(), d.timelinessP50Seconds(),
                        d.timelinessP95Seconds(), d.incompleteRecords(), d.incompleteShare(),
                        String.join("; ", missing)));
            }
            return csv.answer(null);
        }
        if (!part.equals("accuracy")) {
            throw new BadRequestException("part", "part must be departments or accuracy");
        }
        if (g.limited()) {
            throw new ForbiddenException("part", "accuracy is per adapter, across every region and department;"
                    + " it is not shown to a person with region or department grants");
        }
        CsvExport csv = new CsvExport(ACCURACY_COLUMNS);
        for (QualityReport.Accuracy a : m.accuracy()) {
            csv.row(List.of(m.month(), a.adapter(), "(all)", a.quarantined(), a.itemsRead(), a.share()));
            for (QualityReport.Reason r : a.byReason()) {
                csv.row(List.of(m.month(), a.adapter(), r.reason(), r.quarantined(), a.itemsRead(), r.share()));
            }
        }
        return csv.answer(null);
    }

    @GetMapping(params = "format=csv")
    ResponseEntity<String> monthCsvByParameter(@RequestParam(required = false) String month,
                                               @RequestParam(required = false) String part,
                                               Authentication who) {
        return monthCsv(month, part, who);
    }

    @Operation(summary = "Each department's figures over the months up to one (the console's charts)",
            description = "{\"months\": [YYYY-MM, oldest first], \"items\": [{sourceSystem, departmentCode,"
                    + " months: [one entry per month, as in GET /quality]}], \"versionsNotYetCounted\", \"next\": null};"
                    + " month default the current one, months 1..36, default 12")
    @GetMapping(value = "/trend", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> trend(@RequestParam(required = false) String month,
                              @RequestParam(required = false) Integer months, Authentication who) {
        int n = QueryParams.count("months", months, TREND_MONTHS, MAX_TREND_MONTHS);
        QualityReport.Trend t = report.trend(month(month, "month"), n, grants.of(who));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("months", t.months());
        out.put("items", t.departments());
        out.put("versionsNotYetCounted", t.versionsNotYetCounted());
        out.put("next", null);
        return out;
    }

    /** A month as YYYY-MM; absent: the current Beijing month. The value is not echoed (it is a caller's words). */
    static YearMonth month(String text, String field) {
        if (text == null || text.isBlank()) {
            return YearMonth.now(QualityIndexer.BEIJING);
        }
        String t = text.trim();
        if (MONTH.matcher(t).matches()) {
            try {
                return YearMonth.parse(t);
            } catch (DateTimeParseException e) {
                // falls through to the refusal: 2026-13
            }
        }
        throw new BadRequestException(field, field + " must be a calendar month as YYYY-MM (Beijing time),"
                + " e.g. 2026-03");
    }
}
