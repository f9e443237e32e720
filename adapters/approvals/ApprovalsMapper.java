package yingyan.adapters.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import yingyan.canonical.AmountKind;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.CanonicalTime;
import yingyan.canonical.Department;
import yingyan.canonical.Domain;
import yingyan.canonical.InvalidSourceException;
import yingyan.canonical.Limits;
import yingyan.canonical.Matter;
import yingyan.canonical.Party;
import yingyan.canonical.ProtectedId;
import yingyan.canonical.Status;
import yingyan.canonical.Step;
import yingyan.spi.CodeTable;
import yingyan.spi.ExactJson;
import yingyan.spi.MappingContext;
import yingyan.spi.MappingProblems;
import yingyan.spi.SourceItem;
import yingyan.spi.SourceMapper;

/**
 * Maps one approvals case item (its stable JSON, see {@link ExactJson}) to a canonical record, per
 * the mapping table of docs/contracts/departments/approvals.md. Every problem of the item is reported at once as
 * field, value and rule; a resident ID is only ever echoed masked, and a person's clear number goes no
 * further than {@link MappingContext#protectId}.
 */
@Component
class ApprovalsMapper implements SourceMapper {
    static final Map<String, Status> STATES = CodeTable.of(
            "在办", Status.OPEN, "办结", Status.COMPLETED, "不予受理", Status.REJECTED, "退回", Status.REJECTED,
            "撤件", Status.CANCELLED);
    private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?");
    private static final String TIME_RULE = "must be an existing local time yyyy-MM-dd HH:mm:ss (Asia/Shanghai)";
    private static final String LIMIT_RULE = "must be a whole number of working days or null";

    @Override
    public String adapterId() {
        return ApprovalsProperties.ADAPTER_ID;
    }

    @Override
    public CanonicalRecord map(SourceItem item, MappingContext context) {
        JsonNode n = ExactJson.itemObject(item, "a case item must be a JSON object with caseNo, updatedAt, state, ...");
        MappingProblems p = new MappingProblems(CanonicalTime::parseSource, TIME_RULE);
        String caseNo = p.key(n, "caseNo", "is required: the case number is the record's key");
        OffsetDateTime updatedAt = p.requiredTime(n, "updatedAt",
                "is required: the source change time orders the versions of a case");
        Status status = status(p, n);
        Party party = party(p, n, context);
        String deptCode = p.text(n, "deptCode");
        Department department = new Department(deptCode == null ? null : deptCode.toUpperCase(Locale.ROOT),
                p.text(n, "deptName"), false);
        Matter matter = new Matter(p.text(n, "itemCode"), p.text(n, "itemName"));
        String regionCode = p.text(n, "regionCode");
        Map<Step, OffsetDateTime> times = new LinkedHashMap<>();
        times.put(Step.RECEIVED, p.time(n, "receivedAt"));
        times.put(Step.ACCEPTED, p.time(n, "acceptedAt"));
        times.put(Step.DECIDED, p.time(n, "decidedAt"));
        times.put(Step.COMPLETED, p.time(n, "completedAt"));
        Map<Step, String> actors = actors(p, n);
        Integer legal = p.integer(n, "legalLimit", LIMIT_RULE);
        Integer promised = p.integer(n, "promisedLimit", LIMIT_RULE);
        String fee = fee(p, n);
        p.throwIfAny();

        CanonicalRecord.Builder b = CanonicalRecord.builder()
                .domain(Domain.APPROVAL)
                .regionCode(regionCode)
                .department(department)
                .matter(matter)
                .party(party)
                .amount(AmountKind.FEE, fee)
                .limits(Limits.ofNullable(legal, promised))
                .status(status)
                .source(context.lineage(item, caseNo, updatedAt));
        times.forEach((step, at) -> b.step(step, at, actors.get(step)));
        return b.build();
    }

    private static Status status(MappingProblems p, JsonNode n) {
        String state = p.text(n, "state");
        if (p.has("state")) {
            return null;
        }
        Status s = state == null ? null : STATES.get(state);
        if (s == null) {
            p.add("state", state, "must be one of " + String.join(", ", STATES.keySet()));
        }
        return s;
    }

    private static Party party(MappingProblems p, JsonNode n, MappingContext context) {
        JsonNode a = p.object(n, "applicant", "{kind, name, certNo}");
        if (a == null) {
            return null;
        }
        String kind = p.text(a, "applicant.kind", "kind");
        String name = p.text(a, "applicant.name", "name");
        String certNo = p.text(a, "applicant.certNo", "certNo");
        if ("法人".equals(kind)) {
            return Party.org(name, certNo == null || certNo.isEmpty() ? null : certNo);
        }
        if ("自然人".equals(kind)) {
            if (p.has("applicant.certNo")) {
                return null;
            }
            try {
                // The source has no legacy marker: a 15-digit number is refused, never upgraded.
                ProtectedId id = context.protectId("applicant.certNo", certNo, false);
                return Party.person(name, id);
            } catch (InvalidSourceException e) {
                p.addAll(e);
                return null;
            }
        }
        if (!p.has("applicant.kind")) {
            p.add("applicant.kind", kind, "must be 法人 (ORG) or 自然人 (PERSON)");
        }
        return null;
    }

    private static Map<Step, String> actors(MappingProblems p, JsonNode n) {
        Map<Step, String> actors = new LinkedHashMap<>();
        JsonNode h = p.object(n, "handlers", "{received, accepted, decided, completed}");
        if (h == null) {
            return actors;
        }
        actors.put(Step.RECEIVED, p.text(h, "handlers.received", "received"));
        actors.put(Step.ACCEPTED, p.text(h, "handlers.accepted", "accepted"));
        actors.put(Step.DECIDED, p.text(h, "handlers.decided", "decided"));
        actors.put(Step.COMPLETED, p.text(h, "handlers.completed", "completed"));
        return actors;
    }

    /** "1200.00" as is; fewer fraction digits padded (exact); more, a float or a negative fee refused, never rounded. */
    private static String fee(MappingProblems p, JsonNode n) {
        JsonNode f = n.get("fee");
        if (f == null || f.isNull()) {
            return null;
        }
        if (!f.isTextual()) {
            p.add("fee", f.toString(), "must be a decimal string such as \"1200.00\": a JSON number is refused"
                    + " (a float cannot carry fen exactly)");
            return null;
        }
        String s = f.textValue();
        if (s.isEmpty()) {
            return null;
        }
        if (!DECIMAL.matcher(s).matches()) {
            p.add("fee", s, "must be a non-negative decimal yuan.fen such as \"1200.00\"");
            return null;
        }
        BigDecimal v = new BigDecimal(s);
        if (v.scale() > 2) {
            p.add("fee", s, "has more than 2 fraction digits: amounts are never rounded");
            return null;
        }
        return v.setScale(2).toPlainString();
    }

    /** Values as shown in a reason: resident-ID-shaped runs masked, long values cut. */
    static String echo(String value) {
        return MappingProblems.echo(value);
    }
}
