package yingyan.adapters.landtransfer;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
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
import yingyan.canonical.Status;
import yingyan.canonical.Step;
import yingyan.canonical.Violation;
import yingyan.spi.MappingContext;
import yingyan.spi.SourceItem;
import yingyan.spi.SourceMapper;

/**
 * One {@code <Transfer>} (in the adapter's stable serialisation, see {@link TransferXml}) → one canonical
 * record, per the mapping table of docs/contracts/departments/land-transfer.md. Needs nothing but the item's bytes, so
 * quarantine release re-runs it as is. Reports every broken field of a Transfer at once.
 */
@Component
class LandTransferMapper implements SourceMapper {
    static final Department DEPARTMENT = new Department("GTZY", "潍坊市国土资源局", true);
    static final String MATTER_NAME = "国有建设用地使用权出让(%s)";
    private static final char REPLACEMENT = '\uFFFD';
    private static final Map<String, String> METHODS = Map.of("招标", "ZB", "拍卖", "PM", "挂牌", "GP", "协议", "XY");
    private static final Map<String, Status> STATUSES = Map.of("公告中", Status.OPEN, "已成交", Status.OPEN,
            "已签约", Status.OPEN, "已缴清", Status.COMPLETED, "流拍", Status.CANCELLED, "终止", Status.CANCELLED);
    /** The store keeps source keys of up to 256 characters. */
    private static final int MAX_KEY = 200;
    private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?");
    /** The Transfer's direct children the mapping reads; any other element is ignored. */
    private static final List<String> KNOWN = List.of("ParcelNo", "Location", "AreaM2", "Use", "Method",
            "AnnouncedAt", "StartPrice", "DealPrice", "Winner", "ContractedAt", "PaidAt", "Status", "UpdatedAt");

    @Override
    public String adapterId() {
        return LandTransferProperties.ADAPTER_ID;
    }

    @Override
    public CanonicalRecord map(SourceItem item, MappingContext ctx) {
        Transfer t = Transfer.parse(item.raw());
        List<Violation> v = new ArrayList<>(t.violations);
        if (new String(item.raw(), StandardCharsets.UTF_8).indexOf(REPLACEMENT) >= 0) {
            // The JDK parser decodes GB18030 leniently: bytes that are not GB18030 arrive as U+FFFD, silently.
            v.add(new Violation(t.holding(REPLACEMENT), null, "holds U+FFFD (" + REPLACEMENT + "): bytes that are"
                    + " not valid in the export's declared encoding were read as a replacement character; ask the"
                    + " bureau for a correctly encoded export"));
        }

        String parcelNo = t.text("ParcelNo");
        if (parcelNo == null) {
            v.add(new Violation("ParcelNo", null, "is required: the parcel number identifies the record"));
        } else if (parcelNo.length() > MAX_KEY) {
            v.add(new Violation("ParcelNo", parcelNo.substring(0, 40) + "…", "longer than " + MAX_KEY + " characters"));
            parcelNo = null;
        }
        String method = t.text("Method");
        Matter matter = null;
        if (method == null) {
            v.add(new Violation("Method", null, "is required (招标, 拍卖, 挂牌 or 协议)"));
        } else if (!METHODS.containsKey(method)) {
            v.add(new Violation("Method", method, "unknown transfer method: expected 招标, 拍卖, 挂牌 or 协议"));
        } else {
            matter = new Matter("TDCR-" + METHODS.get(method), String.format(MATTER_NAME, method));
        }
        String statusText = t.text("Status");
        Status status = null;
        if (statusText == null) {
            v.add(new Violation("Status", null, "is required (公告中, 已成交, 已签约, 已缴清, 流拍 or 终止)"));
        } else if (!STATUSES.containsKey(statusText)) {
            v.add(new Violation("Status", statusText,
                    "unknown status: expected 公告中, 已成交, 已签约, 已缴清, 流拍 or 终止"));
        } else {
            status = STATUSES.get(statusText);
        }
        String startPrice = amount(v, t, "StartPrice");
        String dealPrice = amount(v, t, "DealPrice");
        OffsetDateTime announced = time(v, t, "AnnouncedAt");
        OffsetDateTime contracted = time(v, t, "ContractedAt");
        OffsetDateTime paid = time(v, t, "PaidAt");
        OffsetDateTime updated = time(v, t, "UpdatedAt");
        if (updated == null && t.text("UpdatedAt") == null) {
            v.add(new Violation("UpdatedAt", null, "is required: it orders the versions of a parcel"));
        }
        Party party = winner(v, t, ctx);
        if (!v.isEmpty()) {
            throw new InvalidSourceException(v);
        }
        return CanonicalRecord.builder()
                .domain(Domain.LAND_TRANSFER)
                .regionCode(t.region)
                .department(DEPARTMENT)
                .matter(matter)
                .party(party)
                .amount(AmountKind.START_PRICE, startPrice)
                .amount(AmountKind.DEAL_PRICE, dealPrice)
                .step(Step.ANNOUNCED, announced, null)
                .step(Step.CONTRACTED, contracted, null)
                .step(Step.PAID, paid, null)
                .status(status)
                .source(ctx.lineage(item, parcelNo, updated))
                .build();
    }

    /** A yuan amount as the canonical 2-digit decimal; more than 2 fraction digits is refused, never rounded. */
    private static String amount(List<Violation> v, Transfer t, String field) {
        String s = t.text(field);
        if (s == null) {
            return null; // empty or absent: the amount is absent, not zero
        }
        if (!DECIMAL.matcher(s).matches()) {
            v.add(new Violation(field, s, "not a decimal amount in yuan (digits, optionally . and up to 2 digits)"));
            return null;
        }
        BigDecimal d = new BigDecimal(s);
        if (d.scale() > 2) {
            v.add(new Violation(field, s, "more than 2 fraction digits: amounts are yuan.fen and are never rounded"));
            return null;
        }
        return d.setScale(2).toPlainString();
    }

    private static OffsetDateTime time(List<Violation> v, Transfer t, String field) {
        String s = t.text(field);
        if (s == null) {
            return null;
        }
        try {
            return CanonicalTime.parseIsoLocal(s);
        } catch (DateTimeParseException e) {
            v.add(new Violation(field, s, "not an existing local time yyyy-MM-ddTHH:mm:ss"));
            return null;
        }
    }

    /** No Winner (or an empty one): no party, as after a failed auction. */
    private static Party winner(List<Violation> v, Transfer t, MappingContext ctx) {
        Element w = t.children.get("Winner");
        if (w == null) {
            return null;
        }
        String name = ExportReader.trimmed(w.text.toString());
        String type = ExportReader.trimmed(w.attributes.get("type"));
        String creditCode = ExportReader.trimmed(w.attributes.get("creditCode"));
        String idNo = ExportReader.trimmed(w.attributes.get("idNo"));
        if (name == null && type == null && creditCode == null && idNo == null) {
            return null;
        }
        if (name == null) {
            v.add(new Violation("Winner", null, "has no name: the winner's name is the element's text"));
        }
        if ("ORG".equals(type)) {
            if (creditCode != null && !CreditCodes.isValid(creditCode)) {
                v.add(new Violation("Winner/@creditCode", creditCode,
                        "not a valid unified social credit code (GB 32100 check character)"));
                return null;
            }
            return Party.org(name, creditCode);
        }
        if ("PERSON".equals(type)) {
            try {
                return Party.person(name, ctx.protectId("Winner/@idNo", idNo, false));
            } catch (InvalidSourceException e) {
                v.addAll(e.violations()); // the value in them is masked
                return null;
            }
        }
        v.add(new Violation("Winner/@type", type, "must be ORG or PERSON"));
        return null;
    }

    /** An element's direct text (trimmed later) and attributes. */
    private static final class Element {
        final StringBuilder text = new StringBuilder();
        final Map<String, String> attributes = new HashMap<>();
    }

    /** The parsed item: the export's region and the Transfer's direct children. */
    private static final class Transfer {
        String region;
        final Map<String, Element> children = new HashMap<>();
        final List<Violation> violations = new ArrayList<>();

        /** The first known child (by name) whose text or attributes hold {@code c}, else "Transfer". */
        String holding(char c) {
            return children.entrySet().stream().filter(e -> e.getValue().text.indexOf(String.valueOf(c)) >= 0
                            || e.getValue().attributes.values().stream().anyMatch(a -> a.indexOf(c) >= 0))
                    .map(Map.Entry::getKey).sorted().findFirst().orElse(ExportReader.TRANSFER);
        }

        String text(String name) {
            Element e = children.get(name);
            return e == null ? null : ExportReader.trimmed(e.text.toString());
        }

        static Transfer parse(byte[] raw) {
            Transfer t = new Transfer();
            XMLStreamReader r = null;
            try {
                r = SafeXml.factory().createXMLStreamReader(new ByteArrayInputStream(raw), "UTF-8");
                int ev = r.next();
                while (ev != XMLStreamConstants.START_ELEMENT) {
                    if (ev == XMLStreamConstants.DTD) {
                        throw new InvalidSourceException(ExportReader.FILE_FIELD, null, SafeXml.REFUSED);
                    }
                    ev = r.next();
                }
                if (!ExportReader.TRANSFER.equals(r.getLocalName())) {
                    throw new InvalidSourceException("(item)", r.getLocalName(), "not one <Transfer> element but"
                            + " (the start of) a whole file: a file-level entry cannot be released, ask the bureau"
                            + " for a corrected export");
                }
                t.region = ExportReader.trimmed(r.getAttributeValue(null, "region"));
                int depth = 1;
                Element current = null;
                while (depth > 0) {
                    ev = r.next();
                    switch (ev) {
                        case XMLStreamConstants.START_ELEMENT -> {
                            depth++;
                            if (depth == 2) {
                                current = t.child(r);
                            }
                        }
                        case XMLStreamConstants.END_ELEMENT -> {
                            depth--;
                            if (depth == 1) {
                                current = null;
                            }
                        }
                        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                            if (depth == 2 && current != null) {
                                current.text.append(r.getText());
                            }
                        }
                        case XMLStreamConstants.ENTITY_REFERENCE, XMLStreamConstants.DTD ->
                                throw new InvalidSourceException("(item)", null, SafeXml.REFUSED);
                        default -> {
                        }
                    }
                }
                return t;
            } catch (XMLStreamException e) {
                throw new InvalidSourceException("(item)", null, "not a well-formed Transfer: "
                        + ExportReader.message(e));
            } finally {
                close(r);
            }
        }

        /** A direct child: known ones are kept (each at most once), unknown ones ignored. */
        private Element child(XMLStreamReader r) {
            String name = r.getLocalName();
            if (!KNOWN.contains(name)) {
                return null;
            }
            if (children.containsKey(name)) {
                violations.add(new Violation(name, null, "appears more than once in the Transfer"));
                return null;
            }
            Element e = new Element();
            for (int i = 0; i < r.getAttributeCount(); i++) {
                e.attributes.put(r.getAttributeLocalName(i), r.getAttributeValue(i));
            }
            children.put(name, e);
            return e;
        }

        private static void close(XMLStreamReader r) {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // nothing held
                }
            }
        }
    }
}
