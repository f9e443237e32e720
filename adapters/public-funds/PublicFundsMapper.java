package yingyan.adapters.publicfunds;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
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
import yingyan.spi.ExactJson;
import yingyan.spi.MappingContext;
import yingyan.spi.MappingProblems;
import yingyan.spi.SourceItem;
import yingyan.spi.SourceMapper;

/**
 * Maps one treasury payment message (its stable JSON, see {@link PublicFundsMessages}) to a canonical record,
 * per the mapping table in adapters/public-funds/README.md. Every problem of the message is reported at once
 * (field, value, rule). The payee's account is never read; a PERSON payee's resident ID ({@code idNo}) goes no
 * further than {@link MappingContext#protectId}: masked and hashed here, at the adapter's edge.
 */
@Component
public class PublicFundsMapper implements SourceMapper {
    private static final String TIME_RULE = "not a time yyyy-MM-dd HH:mm:ss (Beijing)";
    private static final Map<String, Status> STATUSES = statuses();

    @Override
    public String adapterId() {
        return PublicFundsProperties.ADAPTER_ID;
    }

    @Override
    public CanonicalRecord map(SourceItem item, MappingContext context) {
        JsonNode n;
        try {
            n = ExactJson.read(item.raw());
        } catch (IOException e) {
            throw new InvalidSourceException("(message)", null, "not valid JSON");
        }
        if (!n.isObject()) {
            throw new InvalidSourceException("(message)", null, "not a JSON object");
        }
        MappingProblems p = new MappingProblems(CanonicalTime::parseSource, TIME_RULE);
        String payNo = payNo(p, n);
        String statusText = required(p, n, "status");
        Status status = statusText == null ? null : STATUSES.get(statusText);
        if (statusText != null && status == null) {
            p.add("status", statusText, "not one of " + String.join(" ", STATUSES.keySet()));
        }
        OffsetDateTime updatedAt = p.time(n, "updatedAt");
        if (updatedAt == null && !p.has("updatedAt")) {
            p.add("updatedAt", null, "is required");
        }
        String region = required(p, n, "region");
        Department department = new Department(required(p, n, "payerUnitCode"), required(p, n, "payerUnitName"),
                false);
        Matter matter = new Matter("GKZF-" + required(p, n, "subjectCode"), required(p, n, "subjectName"));
        Party party = payee(p, n, context);
        String amount = amount(p, n);
        OffsetDateTime approvedAt = p.time(n, "approvedAt");
        String approver = blankToNull(p.text(n, "approver"));
        OffsetDateTime paidAt = p.time(n, "paidAt");
        p.throwIfAny();

        return CanonicalRecord.builder()
                .domain(Domain.PUBLIC_FUND)
                .regionCode(region)
                .department(department)
                .matter(matter)
                .party(party)
                .amount(AmountKind.PAYMENT, amount)
                .step(Step.ACCEPTED, approvedAt, approver)
                .step(Step.PAID, paidAt, null)
                .status(status)
                .source(context.lineage(item, payNo, updatedAt))
                .build();
    }

    /** The record's key: a JSON string; a number would have lost leading zeros or digits on the way. */
    private static String payNo(MappingProblems p, JsonNode n) {
        JsonNode v = n.get("payNo");
        if (v != null && !v.isNull() && !v.isTextual()) {
            p.add("payNo", v.toString(), "must be a JSON string such as \"ZF2026030100123\": the payment number is"
                    + " the record's key, and a JSON number or other value is not read as one (leading zeros and"
                    + " digits beyond a double would be lost); ask the treasury to send it quoted");
            return null;
        }
        return required(p, n, "payNo");
    }

    /**
     * The payee: an organisation (name, credit code checked by the hub's validator) or a person (name, resident
     * ID in {@code idNo}, masked and hashed); its account stays out.
     */
    private static Party payee(MappingProblems p, JsonNode n, MappingContext context) {
        JsonNode payee = p.object(n, "payee", "{type, name, creditCode | idNo}");
        if (payee == null) {
            if (!p.has("payee")) {
                p.add("payee", null, "is required (an object)");
            }
            return null;
        }
        String type = required(p, payee, "type", "payee.type");
        String name = required(p, payee, "name", "payee.name");
        if ("ORG".equals(type)) {
            return Party.org(name, blankToNull(p.text(payee, "payee.creditCode", "creditCode")));
        }
        if ("PERSON".equals(type)) {
            String idNo = required(p, payee, "idNo", "payee.idNo");
            if (idNo == null) {
                return null;
            }
            try {
                // The treasury marks no legacy number: a 15-digit one is refused, never upgraded.
                return Party.person(name, context.protectId("payee.idNo", idNo, false));
            } catch (InvalidSourceException e) {
                p.addAll(e);
                return null;
            }
        }
        if (type != null) {
            p.add("payee.type", type, "must be ORG or PERSON");
        }
        return null;
    }

    private static String amount(MappingProblems p, JsonNode n) {
        JsonNode v = n.get("amount");
        if (v == null || v.isNull()) {
            p.add("amount", null, "is required");
            return null;
        }
        if (!v.isTextual()) {
            p.add("amount", v.toString(), "must be a decimal string in yuan");
            return null;
        }
        return v.textValue(); // the canonical validator holds it to a decimal of exactly two places
    }

    private static String required(MappingProblems p, JsonNode n, String field) {
        return required(p, n, field, field);
    }

    /** A non-blank string member; absent, null or blank is "is required", another JSON type "must be a string". */
    private static String required(MappingProblems p, JsonNode n, String member, String field) {
        String v = blankToNull(p.text(n, field, member));
        if (v == null && !p.has(field)) {
            p.add(field, null, "is required");
        }
        return v;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static Map<String, Status> statuses() {
        Map<String, Status> m = new LinkedHashMap<>();
        m.put("已受理", Status.OPEN);
        m.put("已审核", Status.OPEN);
        m.put("已支付", Status.COMPLETED);
        m.put("已退回", Status.REJECTED);
        m.put("已作废", Status.CANCELLED);
        return m;
    }
}
