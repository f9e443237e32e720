package yingyan.adapters.penalties;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import yingyan.canonical.AmountKind;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.CanonicalTime;
import yingyan.canonical.Department;
import yingyan.canonical.Domain;
import yingyan.canonical.InvalidSourceException;
import yingyan.canonical.Matter;
import yingyan.canonical.Party;
import yingyan.canonical.Status;
import yingyan.canonical.Step;
import yingyan.spi.CodeTable;
import yingyan.spi.MappingContext;
import yingyan.spi.MappingProblems;
import yingyan.spi.SourceItem;
import yingyan.spi.SourceMapper;

/**
 * Maps one {@code p:penalty} (its stable form, {@link PenaltyForm}) to a canonical record, per the mapping table of
 * docs/contracts/departments/penalties.md. Every problem of the item is reported at once as field, value and rule;
 * a person's resident ID goes no further than {@link MappingContext#protectId}.
 */
@Component
class PenaltiesMapper implements SourceMapper {
    static final Department DEPARTMENT = new Department("GSJ", "潍坊市工商行政管理局", true);
    static final Map<String, String> DECISIONS = CodeTable.of(
            "警告", "JG", "罚款", "FK", "没收违法所得", "MS", "责令停产停业", "TC", "暂扣或者吊销许可证、执照", "DX");
    static final Map<String, Status> STATUSES = CodeTable.of(
            "立案", Status.OPEN, "告知", Status.OPEN, "已决定", Status.OPEN, "已执行", Status.COMPLETED,
            "撤销", Status.CANCELLED);
    private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?");
    private static final String TIME_RULE = "must be yyyy-MM-dd HH:mm:ss (Beijing local), e.g. 2026-03-01 09:00:00";

    @Override
    public String adapterId() {
        return PenaltiesProperties.ADAPTER_ID;
    }

    @Override
    public CanonicalRecord map(SourceItem item, MappingContext context) {
        JsonNode n;
        try {
            n = item.parsed() instanceof JsonNode parsed ? parsed : PenaltyForm.read(item.raw());
        } catch (IOException e) {
            throw new InvalidSourceException("(item)", null, "not the stable form of a p:penalty (JSON): "
                    + echo(e.getMessage()));
        }
        if (!n.isObject()) {
            throw new InvalidSourceException("(item)", echo(n.toString()), "a p:penalty's stable form is an object");
        }
        MappingProblems p = new MappingProblems(CanonicalTime::parseSource, TIME_RULE, "must be text");
        String caseNo = p.key(n, "caseNo", "is required: the case number is the record's key");
        OffsetDateTime updatedAt = time(p, n, "updatedAt");
        if (updatedAt == null && !p.has("updatedAt")) {
            p.add("updatedAt", null, "is required: the change time orders the versions of a case");
        }
        String decision = p.text(n, "decision");
        String decisionCode = decision == null ? null : DECISIONS.get(decision);
        if (decisionCode == null) {
            p.add("decision", decision, "must be one of " + String.join(", ", DECISIONS.keySet()));
        }
        String statusText = p.text(n, "status");
        Status status = statusText == null ? null : STATUSES.get(statusText);
        if (status == null) {
            p.add("status", statusText, "must be one of " + String.join(", ", STATUSES.keySet()));
        }
        String fine = money(p, n, "fineAmount");
        String confiscated = money(p, n, "confiscatedAmount");
        Party party = party(p, n, context);
        Map<Step, OffsetDateTime> times = new LinkedHashMap<>();
        times.put(Step.FILED, time(p, n, "filedAt"));
        times.put(Step.NOTIFIED, time(p, n, "notifiedAt"));
        times.put(Step.HEARD, time(p, n, "hearingAt"));
        times.put(Step.DECIDED, time(p, n, "decidedAt"));
        times.put(Step.EXECUTED, time(p, n, "executedAt"));
        String region = p.text(n, "region");
        p.throwIfAny();

        CanonicalRecord.Builder b = CanonicalRecord.builder()
                .domain(Domain.PENALTY)
                .regionCode(region)
                .department(DEPARTMENT)
                .matter(new Matter("XZCF-" + decisionCode, decision))
                .party(party)
                .status(status)
                .source(context.lineage(item, caseNo, updatedAt));
        b.amount(AmountKind.FINE, fine);
        b.amount(AmountKind.CONFISCATION, confiscated);
        times.forEach((step, at) -> {
            if (at != null) {
                b.step(step, at, null);
            }
        });
        return b.build();
    }

    private static Party party(MappingProblems p, JsonNode n, MappingContext context) {
        JsonNode party = n.get("party");
        if (party == null) {
            return null; // the record validator decides whether a penalty may lack its party
        }
        String kind = p.text(party, "party.type", "type");
        String name = p.text(party, "party.name", "name");
        if ("ORG".equals(kind)) {
            String creditCode = p.text(party, "party.creditCode", "creditCode");
            return Party.org(name, creditCode == null || creditCode.isEmpty() ? null : creditCode);
        }
        if ("PERSON".equals(kind)) {
            String idNo = p.text(party, "party.idNo", "idNo");
            try {
                // The bureau marks no number as legacy: a 15-digit one (an old card) is refused, never upgraded.
                return Party.person(name, context.protectId("party.idNo", idNo, false));
            } catch (InvalidSourceException e) {
                p.addAll(e);
                return null;
            }
        }
        p.add("party.type", kind, "must be ORG or PERSON");
        return null;
    }

    /** Values as shown in a reason: resident-ID-shaped runs masked, long values cut. */
    static String echo(String value) {
        return MappingProblems.echo(value);
    }

    /** A time, null when absent, empty or blank (a blank SOAP element is no time). */
    private static OffsetDateTime time(MappingProblems p, JsonNode parent, String field) {
        String s = p.text(parent, field);
        return s == null || s.isBlank() ? null : p.time(parent, field);
    }

    /** Yuan as yuan.fen ("5000" → "5000.00"), null when absent or empty; more than 2 fraction digits refused. */
    private static String money(MappingProblems p, JsonNode parent, String field) {
        String s = p.text(parent, field);
        if (s == null || s.isEmpty()) {
            return null;
        }
        if (!DECIMAL.matcher(s).matches()) {
            p.add(field, s, "must be a non-negative decimal in yuan such as \"5000.00\" or \"5000\"");
            return null;
        }
        int dot = s.indexOf('.');
        int fraction = dot < 0 ? 0 : s.length() - dot - 1;
        if (fraction > 2) {
            p.add(field, s, "has more than 2 fraction digits: amounts are yuan.fen and never rounded");
            return null;
        }
        return dot < 0 ? s + ".00" : fraction == 1 ? s + "0" : s;
    }
}
