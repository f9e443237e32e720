package yingyan.adapters.trading;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
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
import yingyan.spi.ExactJson;
import yingyan.spi.MappingContext;
import yingyan.spi.MappingProblems;
import yingyan.spi.SourceItem;
import yingyan.spi.SourceMapper;

/**
 * Maps one trading-centre transaction (its stable JSON) to a canonical record, per the mapping table of
 * docs/contracts/departments/trading-centre.md. Every problem of the item is reported at once as field, value
 * and rule; a winner's resident ID goes no further than {@link MappingContext#protectId}.
 */
@Component
class TradingMapper implements SourceMapper {
    static final Map<String, Domain> TYPES = Map.of(
            "BIDDING", Domain.BIDDING, "MINING", Domain.MINING_RIGHT, "PROPERTY", Domain.STATE_PROPERTY);
    static final Map<String, String> METHODS = CodeTable.of(
            "公开招标", "GKZB", "邀请招标", "YQZB", "竞争性谈判", "JZXTP", "单一来源", "DYLY",
            "拍卖", "PM", "挂牌", "GP", "协议", "XY");
    static final Map<String, Status> STATUSES = CodeTable.of(
            "公告中", Status.OPEN, "已开标", Status.OPEN, "已成交", Status.COMPLETED,
            "流标", Status.CANCELLED, "终止", Status.CANCELLED);
    private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?");
    private static final String TIME_RULE = "must be ISO-8601 with an offset or Z, e.g. 2026-03-01T09:00:00+08:00";

    @Override
    public String adapterId() {
        return TradingProperties.ADAPTER_ID;
    }

    @Override
    public CanonicalRecord map(SourceItem item, MappingContext context) {
        JsonNode n = ExactJson.itemObject(item,
                "a transaction must be a JSON object with tradeCode, type, updatedAt, ...");
        MappingProblems p = new MappingProblems(TradingMapper::beijing, TIME_RULE);
        String tradeCode = p.key(n, "tradeCode", "is required: the trade code is the record's key");
        String type = p.text(n, "type");
        Domain domain = type == null ? null : TYPES.get(type);
        if (domain == null && !p.has("type")) {
            p.add("type", type, "must be one of BIDDING, MINING, PROPERTY");
        }
        OffsetDateTime updatedAt = p.requiredTime(n, "updatedAt",
                "is required: the change time orders the versions of a transaction");
        String method = p.text(n, "method");
        String methodCode = method == null ? null : METHODS.get(method);
        if (methodCode == null && !p.has("method")) {
            p.add("method", method, "must be one of " + String.join(", ", METHODS.keySet()));
        }
        String statusText = p.text(n, "status");
        Status status = statusText == null ? null : STATUSES.get(statusText);
        if (status == null && !p.has("status")) {
            p.add("status", statusText, "must be one of " + String.join(", ", STATUSES.keySet()));
        }
        String control = money(p, n, "controlPrice");
        String appraisal = money(p, n, "appraisal");
        String deal = money(p, n, "dealPrice");
        if ("MINING".equals(type) && control == null && !p.has("controlPrice")) {
            p.add("controlPrice", null, "is required for MINING: the start price (出让起始价)");
        }
        if ("PROPERTY".equals(type)) {
            if (control == null && !p.has("controlPrice")) {
                p.add("controlPrice", null, "is required for PROPERTY: the listing price (挂牌价)");
            }
            if (appraisal == null && !p.has("appraisal")) {
                p.add("appraisal", null, "is required for PROPERTY: the appraised value (评估值)");
            }
        }
        Department department = department(p, n);
        Party party = winner(p, n, context);
        Map<Step, OffsetDateTime> times = new LinkedHashMap<>();
        times.put(Step.ANNOUNCED, p.time(n, "announcedAt"));
        times.put(Step.REVIEWED, p.time(n, "openedAt"));
        times.put(Step.DECIDED, p.time(n, "decidedAt"));
        times.put(Step.CONTRACTED, p.time(n, "contractedAt"));
        String region = p.text(n, "region");
        String projectName = p.text(n, "projectName");
        p.throwIfAny();

        CanonicalRecord.Builder b = CanonicalRecord.builder()
                .domain(domain)
                .regionCode(region)
                .department(department)
                .matter(new Matter("GGZY-" + type + "-" + methodCode, projectName))
                .party(party)
                .status(status)
                .source(context.lineage(item, tradeCode, updatedAt));
        if ("BIDDING".equals(type)) {
            b.amount(AmountKind.BUDGET, control);
        } else {
            b.amount(AmountKind.START_PRICE, control);
            if ("PROPERTY".equals(type)) {
                b.amount(AmountKind.APPRAISAL, appraisal);
            }
        }
        b.amount(AmountKind.DEAL_PRICE, deal);
        times.forEach((step, at) -> b.step(step, at, null));
        return b.build();
    }

    /**
     * 万元 as a decimal string to yuan, exactly: ×10⁴, trailing zeros stripped; what is left must be a whole
     * number of fen (at most 2 fraction digits), else null and a problem. "1.0000000" → "10000.00".
     */
    static String wanToYuan(String wan) {
        BigDecimal yuan = new BigDecimal(wan).movePointRight(4).stripTrailingZeros();
        if (yuan.scale() > 2) {
            return null;
        }
        return yuan.setScale(2).toPlainString();
    }

    /** ISO-8601 with offset or Z, to +08:00, a fraction of a second dropped. */
    static OffsetDateTime beijing(String iso) {
        return OffsetDateTime.parse(iso).truncatedTo(ChronoUnit.SECONDS)
                .withOffsetSameInstant(CanonicalTime.BEIJING);
    }

    private static Department department(MappingProblems p, JsonNode n) {
        JsonNode d = n.get("supervisorDept");
        if (d == null || d.isNull()) {
            return null; // the record validator names the missing department
        }
        if (!d.isObject()) {
            p.add("supervisorDept", d.toString(), "must be an object {code, name}");
            return null;
        }
        return new Department(p.text(d, "supervisorDept.code", "code"), p.text(d, "supervisorDept.name", "name"),
                false);
    }

    private static Party winner(MappingProblems p, JsonNode n, MappingContext context) {
        JsonNode w = n.get("winner");
        if (w == null || w.isNull()) {
            return null;
        }
        if (!w.isObject()) {
            p.add("winner", w.toString(), "must be an object {type, name, creditCode | idNo} or null");
            return null;
        }
        String kind = p.text(w, "winner.type", "type");
        String name = p.text(w, "winner.name", "name");
        if ("ORG".equals(kind)) {
            String creditCode = p.text(w, "winner.creditCode", "creditCode");
            return Party.org(name, creditCode == null || creditCode.isEmpty() ? null : creditCode);
        }
        if ("PERSON".equals(kind)) {
            String idNo = p.text(w, "winner.idNo", "idNo");
            if (p.has("winner.idNo")) {
                return null;
            }
            try {
                return Party.person(name, context.protectId("winner.idNo", idNo, false));
            } catch (InvalidSourceException e) {
                p.addAll(e);
                return null;
            }
        }
        if (!p.has("winner.type")) {
            p.add("winner.type", kind, "must be ORG or PERSON");
        }
        return null;
    }

    /** Values as shown in a reason: resident-ID-shaped runs masked, long values cut. */
    static String echo(String value) {
        return MappingProblems.echo(value);
    }


    /** An amount in 万元 as yuan.fen, null when absent; a JSON number, a negative or sub-fen value refused. */
    private static String money(MappingProblems p, JsonNode parent, String field) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            p.add(field, v.toString(), "must be a decimal string in 万元 such as \"1234.5678\": a JSON number"
                    + " is refused");
            return null;
        }
        String s = v.textValue();
        if (s.isEmpty()) {
            return null;
        }
        if (!DECIMAL.matcher(s).matches()) {
            p.add(field, s, "must be a non-negative decimal in 万元 such as \"1234.5678\"");
            return null;
        }
        String yuan = wanToYuan(s);
        if (yuan == null) {
            p.add(field, s, "is not a whole number of fen once converted from 万元 (×10000 leaves more than 2"
                    + " fraction digits): amounts are never rounded");
        }
        return yuan;
    }
}
