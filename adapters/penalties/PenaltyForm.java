package yingyan.adapters.penalties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.OffsetDateTime;
import yingyan.adapters.penalties.soap.Party;
import yingyan.adapters.penalties.soap.Penalty;
import yingyan.canonical.JsonLimits;
import yingyan.spi.Payloads;
import yingyan.spi.SourceItem;

/**
 * The stable form of one {@code p:penalty} element, which its payload hash is computed over and which the
 * quarantine keeps: a compact JSON object, keys sorted ({@link Payloads#stableJson}), one member per child element
 * the WSDL declares, named as the element, with its text exactly as received ({@code ""} for an empty element; a
 * member is absent when its element is); {@code party} is an object of its attributes {@code type},
 * {@code creditCode}, {@code idNo} (each absent when the attribute is) and its text as {@code name}. The same
 * content always gives the same bytes whatever the bureau's prefixes, whitespace between elements or element
 * order; elements the WSDL does not declare are not part of it.
 */
final class PenaltyForm {
    private static final ObjectMapper JSON = JsonLimits.mapper();

    private PenaltyForm() {
    }

    /** The element as the bureau sent it (as JAXB read it), in stable form. */
    static ObjectNode of(Penalty p) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        put(n, "caseNo", p.getCaseNo());
        put(n, "region", p.getRegion());
        Party party = p.getParty();
        if (party != null) {
            ObjectNode o = n.putObject("party");
            put(o, "type", party.getType());
            put(o, "creditCode", party.getCreditCode());
            put(o, "idNo", party.getIdNo());
            put(o, "name", party.getValue());
        }
        put(n, "violation", p.getViolation());
        put(n, "basis", p.getBasis());
        put(n, "decision", p.getDecision());
        put(n, "fineAmount", p.getFineAmount());
        put(n, "confiscatedAmount", p.getConfiscatedAmount());
        put(n, "filedAt", p.getFiledAt());
        put(n, "notifiedAt", p.getNotifiedAt());
        put(n, "hearingAt", p.getHearingAt());
        put(n, "decidedAt", p.getDecidedAt());
        put(n, "executedAt", p.getExecutedAt());
        put(n, "status", p.getStatus());
        put(n, "discretionLevel", p.getDiscretionLevel());
        put(n, "updatedAt", p.getUpdatedAt());
        return n;
    }

    /** The source item of one element: its stable form, keyed by its caseNo (null when it has none). */
    static SourceItem item(Penalty p, String origin, OffsetDateTime fetchedAt) {
        ObjectNode n = of(p);
        return SourceItem.utf8(PenaltiesProperties.ADAPTER_ID, blankToNull(p.getCaseNo()), Payloads.stableJson(n),
                origin, fetchedAt, n);
    }

    /** The hash of one element's stable form (how a page read again is matched with the one read before). */
    static String hash(Penalty p) {
        return Payloads.sha256(Payloads.stableJson(of(p)));
    }

    /** Reads a stable form back (a release from quarantine). */
    static JsonNode read(byte[] raw) throws IOException {
        return JSON.readTree(raw);
    }

    private static void put(ObjectNode n, String name, String value) {
        if (value != null) {
            n.put(name, value);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
