package yingyan.adapters.housingfund;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import yingyan.canonical.AmountKind;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.CanonicalTime;
import yingyan.canonical.Department;
import yingyan.canonical.Domain;
import yingyan.canonical.InvalidSourceException;
import yingyan.canonical.JsonLimits;
import yingyan.canonical.Matter;
import yingyan.canonical.Party;
import yingyan.canonical.ProtectedId;
import yingyan.canonical.RegionCodes;
import yingyan.canonical.Status;
import yingyan.canonical.Step;
import yingyan.canonical.Violation;
import yingyan.spi.MappingContext;
import yingyan.spi.SourceItem;
import yingyan.spi.SourceMapper;

/**
 * Maps one row of GJJ_TQ (withdrawal) or GJJ_DK (loan), as the stable JSON {@link SourceDatabase#item}
 * writes, to a canonical record (docs/contracts/departments/housing-fund.md). Needs nothing but the raw bytes, so
 * quarantine release re-runs it on them alone. Every broken column is reported, named {@code GJJ_TQ.XZQH}.
 */
@Component
public class HousingFundMapper implements SourceMapper {
    public static final String ADAPTER_ID = "housing-fund";

    static final Department DEPARTMENT = new Department("GJJ", "潍坊市住房公积金管理中心", false);
    static final Matter LOAN = new Matter("GJJ-DK", "住房公积金贷款");
    private static final Map<String, String> WITHDRAWAL_REASONS = Map.of(
            "01", "购房提取", "02", "租房提取", "03", "离退休提取", "04", "重大疾病提取", "05", "离市提取", "99", "其他提取");
    private static final Map<String, Status> STATUS = Map.of(
            "0", Status.OPEN, "1", Status.OPEN, "2", Status.COMPLETED, "3", Status.REJECTED, "9", Status.CANCELLED);
    private static final ObjectMapper JSON = JsonLimits.mapper();

    @Override
    public String adapterId() {
        return ADAPTER_ID;
    }

    @Override
    public CanonicalRecord map(SourceItem item, MappingContext ctx) {
        JsonNode root;
        try {
            root = JSON.readTree(item.raw());
        } catch (IOException e) {
            throw new InvalidSourceException("(item)", null, "not the adapter's row JSON: " + JsonLimits.describe(e));
        }
        String tableName = root.path("table").asText(null);
        SourceTable table = SourceTable.byName(tableName).orElseThrow(() -> new InvalidSourceException("table",
                tableName, "not a housing-fund table (GJJ_TQ or GJJ_DK)"));
        if (!root.path("row").isObject()) {
            throw new InvalidSourceException("row", null, "the item carries no row object");
        }
        Columns row = new Columns(table, root.get("row"));
        return table == SourceTable.GJJ_TQ ? withdrawal(row, item, ctx) : loan(row, item, ctx);
    }

    private static CanonicalRecord withdrawal(Columns row, SourceItem item, MappingContext ctx) {
        String key = row.requiredKey();
        String reasonCode = row.code("TQLX");
        Matter matter = null;
        if (reasonCode != null) {
            String name = WITHDRAWAL_REASONS.get(reasonCode);
            if (name == null) {
                row.violation("TQLX", reasonCode, "unknown withdrawal reason; expected 01, 02, 03, 04, 05 or 99");
            } else {
                matter = new Matter("GJJ-TQ-" + reasonCode, name);
            }
        }
        CanonicalRecord.Builder b = common(row, ctx, "ZGXM")
                .matter(matter)
                .amount(AmountKind.WITHDRAWAL, row.amount("TQJE"))
                .step(Step.PAID, row.time("ZFSJ", false), null);
        return row.finish(b, item, ctx, key);
    }

    private static CanonicalRecord loan(Columns row, SourceItem item, MappingContext ctx) {
        String key = row.requiredKey();
        CanonicalRecord.Builder b = common(row, ctx, "JKRXM")
                .matter(LOAN)
                .amount(AmountKind.LOAN, row.amount("DKJE"))
                .step(Step.PAID, row.time("FKSJ", false), null);
        return row.finish(b, item, ctx, key);
    }

    /** What both tables share: person, region, received and decided steps, status. */
    private static CanonicalRecord.Builder common(Columns row, MappingContext ctx, String nameColumn) {
        String name = row.text(nameColumn);
        ProtectedId id = row.residentId(ctx);
        String region = row.code("XZQH");
        if (region != null && !RegionCodes.isKnown(region)) {
            row.violation("XZQH", region, "unknown GB/T 2260 region code (reference-codes.md)");
        }
        String statusCode = row.code("ZT");
        Status status = statusCode == null ? null : STATUS.get(statusCode);
        if (statusCode != null && status == null) {
            row.violation("ZT", statusCode, "unknown status code; expected 0, 1, 2, 3 or 9");
        }
        return CanonicalRecord.builder()
                .domain(Domain.HOUSING_FUND)
                .regionCode(region)
                .department(DEPARTMENT)
                .party(id == null ? null : Party.person(name, id))
                .step(Step.RECEIVED, row.time("SQSJ", true), null)
                .step(Step.DECIDED, row.time("SPSJ", false), row.text("SPR"))
                .status(status)
                .limits(null);
    }

    /** The row's columns, collecting every violation so one quarantine reason names them all. */
    private static final class Columns {
        private final SourceTable table;
        private final JsonNode row;
        private final List<Violation> violations = new ArrayList<>();

        Columns(SourceTable table, JsonNode row) {
            this.table = table;
            this.row = row;
        }

        /** The value as read, or null when the column is NULL or absent. */
        String text(String column) {
            JsonNode v = row.get(column);
            return v == null || v.isNull() ? null : v.asText();
        }

        String requiredKey() {
            String key = text(table.keyColumn());
            if (key == null || key.isBlank()) {
                throw new InvalidSourceException(table.field(table.keyColumn()), key, "the row key is required");
            }
            return key;
        }

        /** A code column, trimmed (CHAR columns may come space-padded); null with a violation when missing. */
        String code(String column) {
            String v = text(column);
            if (v == null || v.isBlank()) {
                violation(column, v, "is required");
                return null;
            }
            return v.trim();
        }

        ProtectedId residentId(MappingContext ctx) {
            try {
                // The centre marks no number as legacy: a 15-digit one is refused, never upgraded.
                return ctx.protectId(table.field("SFZH"), text("SFZH"), false);
            } catch (InvalidSourceException e) {
                violations.addAll(e.violations());
                return null;
            }
        }

        OffsetDateTime time(String column, boolean required) {
            String v = text(column);
            if (v == null || v.isBlank()) {
                if (required) {
                    violation(column, v, "is required");
                }
                return null;
            }
            try {
                return CanonicalTime.parseSource(v);
            } catch (DateTimeParseException e) {
                violation(column, v, "not a valid yyyy-MM-dd HH:mm:ss time");
                return null;
            }
        }

        /** A DECIMAL as exactly two fraction digits; more significant digits are an error, never rounded. */
        String amount(String column) {
            String v = text(column);
            if (v == null || v.isBlank()) {
                return null; // absent, not zero
            }
            try {
                BigDecimal d = new BigDecimal(v.trim());
                if (d.scale() > 2 && d.stripTrailingZeros().scale() > 2) {
                    violation(column, v, "more than 2 fraction digits (never rounded)");
                    return null;
                }
                return d.setScale(2, RoundingMode.UNNECESSARY).toPlainString();
            } catch (NumberFormatException e) {
                violation(column, v, "not a decimal number");
                return null;
            }
        }

        void violation(String column, String value, String rule) {
            violations.add(new Violation(table.field(column), value, rule));
        }

        CanonicalRecord finish(CanonicalRecord.Builder b, SourceItem item, MappingContext ctx, String key) {
            OffsetDateTime updatedAt = time(SourceTable.CHANGE_TIME, true);
            if (!violations.isEmpty()) {
                throw new InvalidSourceException(violations);
            }
            return b.source(ctx.lineage(item, table.sourceKey(key), updatedAt)).build();
        }
    }
}
