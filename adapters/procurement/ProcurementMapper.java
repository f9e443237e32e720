package yingyan.adapters.procurement;

import static yingyan.adapters.procurement.ProcurementCsv.ANNOUNCED;
import static yingyan.adapters.procurement.ProcurementCsv.AWARD;
import static yingyan.adapters.procurement.ProcurementCsv.BUDGET;
import static yingyan.adapters.procurement.ProcurementCsv.CONTRACTED;
import static yingyan.adapters.procurement.ProcurementCsv.HEADER;
import static yingyan.adapters.procurement.ProcurementCsv.METHOD;
import static yingyan.adapters.procurement.ProcurementCsv.PROJECT_NO;
import static yingyan.adapters.procurement.ProcurementCsv.REGION;
import static yingyan.adapters.procurement.ProcurementCsv.STATE;
import static yingyan.adapters.procurement.ProcurementCsv.SUPPLIER;
import static yingyan.adapters.procurement.ProcurementCsv.SUPPLIER_CODE;
import static yingyan.adapters.procurement.ProcurementCsv.UNIT_CODE;
import static yingyan.adapters.procurement.ProcurementCsv.UNIT_NAME;
import static yingyan.adapters.procurement.ProcurementCsv.UPDATED;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import yingyan.canonical.AmountKind;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.CanonicalTime;
import yingyan.canonical.CreditCodes;
import yingyan.canonical.Department;
import yingyan.canonical.Domain;
import yingyan.canonical.InvalidSourceException;
import yingyan.canonical.Matter;
import yingyan.canonical.Party;
import yingyan.canonical.RegionCodes;
import yingyan.canonical.Status;
import yingyan.canonical.Step;
import yingyan.canonical.Violation;
import yingyan.spi.MappingContext;
import yingyan.spi.SourceItem;
import yingyan.spi.SourceMapper;

/**
 * One row of the procurement export (its stable serialisation, see {@link ProcurementCsv}) → one
 * canonical PROCUREMENT record, per the mapping table of docs/contracts/departments/procurement.md. Every broken rule
 * of the row is reported at once, by source column name, value and rule. Text is kept as given,
 * formula-like text ({@code =}, {@code +}, {@code -}, {@code @}) included: it is data here, and is
 * neutralised only where the hub writes CSV for spreadsheets.
 */
@Component
public class ProcurementMapper implements SourceMapper {
    /** 采购方式 → matter code suffix. */
    static final Map<String, String> METHODS = Map.of("公开招标", "GKZB", "邀请招标", "YQZB", "竞争性谈判", "JZXTP",
            "竞争性磋商", "JZXCS", "单一来源", "DYLY", "询价", "XJ");
    static final List<String> METHOD_ORDER = List.of("公开招标", "邀请招标", "竞争性谈判", "竞争性磋商", "单一来源", "询价");
    /** 状态 → canonical status. */
    static final Map<String, Status> STATES = Map.of("已公告", Status.OPEN, "已签约", Status.COMPLETED,
            "废标", Status.CANCELLED);

    /** Yuan, optionally with correctly grouped thousands separators, then up to any fraction digits (checked after). */
    private static final Pattern AMOUNT = Pattern.compile("([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\\.[0-9]+)?");
    private static final Pattern KEY = Pattern.compile("[^\\s\\p{Cntrl}]{1,200}");

    @Override
    public String adapterId() {
        return ProcurementProperties.ADAPTER_ID;
    }

    @Override
    public CanonicalRecord map(SourceItem item, MappingContext ctx) {
        List<String> f = ProcurementCsv.parseRaw(item.text());
        List<Violation> v = new ArrayList<>();
        for (int i = 0; i < f.size(); i++) {
            if (f.get(i).indexOf('\uFFFD') >= 0) {
                v.add(new Violation(HEADER.get(i), ProcurementCsv.cut(f.get(i), 60),
                        "holds bytes that are not GBK (shown as \uFFFD): the export must be GBK-encoded"));
            }
        }

        String key = f.get(PROJECT_NO).trim();
        if (!KEY.matcher(key).matches()) {
            v.add(new Violation(HEADER.get(PROJECT_NO), f.get(PROJECT_NO),
                    "is required: 1 to 200 characters without spaces (the record's key)"));
        }
        String unitCode = f.get(UNIT_CODE).trim().toUpperCase(Locale.ROOT);
        if (unitCode.isEmpty() || unitCode.chars().anyMatch(Character::isWhitespace)) {
            v.add(new Violation(HEADER.get(UNIT_CODE), f.get(UNIT_CODE), "is required, without spaces"));
        }
        String unitName = f.get(UNIT_NAME);
        if (unitName.isBlank()) {
            v.add(new Violation(HEADER.get(UNIT_NAME), unitName, "is required"));
        }
        String region = f.get(REGION).trim();
        if (!RegionCodes.isKnown(region)) {
            v.add(new Violation(HEADER.get(REGION), f.get(REGION),
                    "unknown GB/T 2260 region code (reference-codes.md lists " + RegionCodes.all() + ")"));
        }
        String method = f.get(METHOD).trim();
        String methodCode = METHODS.get(method);
        if (methodCode == null) {
            v.add(new Violation(HEADER.get(METHOD), f.get(METHOD), "must be one of " + String.join(" / ", METHOD_ORDER)));
        }
        String budget = amount(v, f, BUDGET);
        String award = amount(v, f, AWARD);
        Party party = party(v, f);
        OffsetDateTime announced = date(v, f, ANNOUNCED);
        OffsetDateTime contracted = date(v, f, CONTRACTED);
        Status status = STATES.get(f.get(STATE).trim());
        if (status == null) {
            v.add(new Violation(HEADER.get(STATE), f.get(STATE), "must be one of 已公告 / 已签约 / 废标"));
        }
        OffsetDateTime updatedAt = null;
        try {
            updatedAt = CanonicalTime.parseSource(f.get(UPDATED));
        } catch (DateTimeParseException e) {
            v.add(new Violation(HEADER.get(UPDATED), f.get(UPDATED), f.get(UPDATED).isBlank()
                    ? "is required: an existing local time yyyy-MM-dd HH:mm:ss"
                    : "not an existing local time yyyy-MM-dd HH:mm:ss"));
        }
        if (!v.isEmpty()) {
            throw new InvalidSourceException(v);
        }
        return CanonicalRecord.builder()
                .domain(Domain.PROCUREMENT)
                .regionCode(region)
                .department(new Department(unitCode, unitName, false))
                .matter(new Matter("ZFCG-" + methodCode, "政府采购(" + method + ")"))
                .party(party)
                .amount(AmountKind.BUDGET, budget)
                .amount(AmountKind.CONTRACT, award)
                .step(Step.ANNOUNCED, announced, null)
                .step(Step.CONTRACTED, contracted, null)
                .status(status)
                .source(ctx.lineage(item, key, updatedAt))
                .build();
    }

    /** Yuan.fen with exactly 2 fraction digits; empty = absent (null); more than 2 digits is refused, never rounded. */
    private static String amount(List<Violation> v, List<String> f, int i) {
        String text = f.get(i).trim();
        if (text.isEmpty()) {
            return null;
        }
        if (!AMOUNT.matcher(text).matches()) {
            v.add(new Violation(HEADER.get(i), f.get(i), "not an amount in yuan: digits, optionally grouped by"
                    + " thousands separators (1,234,500.00), with up to 2 fraction digits"));
            return null;
        }
        BigDecimal value = new BigDecimal(text.replace(",", ""));
        if (value.scale() > 2) {
            v.add(new Violation(HEADER.get(i), f.get(i), "has " + value.scale()
                    + " fraction digits; amounts are yuan.fen with at most 2 and are never rounded"));
            return null;
        }
        if (value.precision() - value.scale() > 16) {
            v.add(new Violation(HEADER.get(i), f.get(i), "more than 16 integer digits"));
            return null;
        }
        return value.setScale(2).toPlainString();
    }

    /** The winning supplier as an organisation; no supplier (e.g. 废标) → no party. */
    private static Party party(List<Violation> v, List<String> f) {
        String name = f.get(SUPPLIER);
        String code = f.get(SUPPLIER_CODE).trim().toUpperCase(Locale.ROOT);
        if (name.isBlank()) {
            if (!code.isEmpty()) {
                v.add(new Violation(HEADER.get(SUPPLIER_CODE), f.get(SUPPLIER_CODE),
                        "a credit code without a 中标供应商 (supplier name)"));
            }
            return null;
        }
        if (code.isEmpty()) {
            return Party.org(name, null);
        }
        if (!CreditCodes.isValid(code)) {
            v.add(new Violation(HEADER.get(SUPPLIER_CODE), f.get(SUPPLIER_CODE),
                    "not a valid unified social credit code (GB 32100: 18 characters, check character)"));
        }
        return Party.org(name, code);
    }

    /** A date yyyy-MM-dd at 00:00:00+08:00; empty = the step is absent. */
    private static OffsetDateTime date(List<Violation> v, List<String> f, int i) {
        String text = f.get(i).trim();
        if (text.isEmpty()) {
            return null;
        }
        try {
            return CanonicalTime.parseSourceDate(text);
        } catch (DateTimeParseException e) {
            v.add(new Violation(HEADER.get(i), f.get(i), "not an existing date yyyy-MM-dd"));
            return null;
        }
    }
}
