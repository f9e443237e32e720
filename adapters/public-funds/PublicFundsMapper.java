package yingyan.adapters.publicfunds;

import java.io.IOException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
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
import yingyan.canonical.Status;
import yingyan.canonical.Step;
import yingyan.spi.MappingContext;
import yingyan.spi.SourceItem;
import yingyan.spi.SourceMapper;

/**
 * Maps one treasury payment message (its stable JSON, see {@link PublicFundsMessages}) to a canonical record,
 * per the mapping table in adapters/public-funds/README.md. The payee's account is never read.
 */
@Component
public class PublicFundsMapper implements SourceMapper {
    private static final ObjectMapper EXACT = JsonLimits.mapperBuilder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
    private static final Map<String, Status> STATUSES = Map.of(
            "已受理", Status.OPEN,
            "已审核", Status.OPEN,
            "已支付", Status.COMPLETED,
            "已退回", Status.REJECTED,
            "已作废", Status.CANCELLED);

    @Override
    public String adapterId() {
        return PublicFundsProperties.ADAPTER_ID;
    }

    @Override
    public CanonicalRecord map(SourceItem item, MappingContext context) {
        JsonNode n;
        try {
            n = EXACT.readTree(item.raw());
        } catch (IOException e) {
            throw new InvalidSourceException("(message)", null, "not valid JSON");
        }
        if (n == null || !n.isObject()) {
            throw new InvalidSourceException("(message)", null, "not a JSON object");
        }
        String payNo = required(n, "payNo");
        String statusText = required(n, "status");
        Status status = STATUSES.get(statusText);
        if (status == null) {
            throw new InvalidSourceException("status", statusText, "not one of 已受理 已审核 已支付 已退回 已作废");
        }
        OffsetDateTime updatedAt = time(n, "updatedAt", true);
        return CanonicalRecord.builder()
                .domain(Domain.PUBLIC_FUND)
                .regionCode(required(n, "region"))
                .department(new Department(required(n, "payerUnitCode"), required(n, "payerUnitName"), false))
                .matter(new Matter("GKZF-" + required(n, "subjectCode"), required(n, "subjectName")))
                .party(payee(n.get("payee")))
                .amount(AmountKind.PAYMENT, decimal(n, "amount"))
                .step(Step.ACCEPTED, time(n, "approvedAt", false), text(n, "approver"))
                .step(Step.PAID, time(n, "paidAt", false), null)
                .status(status)
                .source(context.lineage(item, payNo, updatedAt))
                .build();
    }

    /** The payee: an organisation (name, credit code checked by the hub's validator); its account stays out. */
    private static Party payee(JsonNode payee) {
        if (payee == null || !payee.isObject()) {
            throw new InvalidSourceException("payee", null, "is required (an object)");
        }
        String type = required(payee, "type", "payee.type");
        if (!"ORG".equals(type)) {
            throw new InvalidSourceException("payee.type", type, "must be ORG (the contract knows no other payee)");
        }
        String creditCode = text(payee, "creditCode");
        return Party.org(required(payee, "name", "payee.name"), creditCode);
    }

    private static String decimal(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new InvalidSourceException(field, null, "is required");
        }
        if (!v.isTextual()) {
            throw new InvalidSourceException(field, v.toString(), "must be a decimal string in yuan");
        }
        return v.textValue(); // the canonical validator holds it to a decimal of at most two places
    }

    private static OffsetDateTime time(JsonNode n, String field, boolean required) {
        String t = required ? required(n, field) : text(n, field);
        if (t == null) {
            return null;
        }
        try {
            return CanonicalTime.parseSource(t);
        } catch (DateTimeParseException e) {
            throw new InvalidSourceException(field, t, "not a time yyyy-MM-dd HH:mm:ss (Beijing)");
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    private static String required(JsonNode n, String field) {
        return required(n, field, field);
    }

    private static String required(JsonNode n, String field, String name) {
        String v = text(n, field);
        if (v == null) {
            throw new InvalidSourceException(name, null, "is required");
        }
        return v;
    }
}
