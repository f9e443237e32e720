package yingyan.canonical;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.xml.bind.annotation.XmlType;

/**
 * The applicant or counterparty. An organisation carries its credit code; a person carries only
 * the masked ID and its keyed hash, never the clear number (see {@link ResidentIdProtector}).
 */
@XmlType(propOrder = {"type", "name", "creditCode", "idMasked", "idHash"})
@JsonPropertyOrder({"type", "name", "creditCode", "idMasked", "idHash"})
public final class Party extends CanonicalValue {
    private PartyType type;
    private String name;
    private String creditCode;
    private String idMasked;
    private String idHash;

    Party() {
    }

    @JsonCreator
    public Party(@JsonProperty("type") PartyType type, @JsonProperty("name") String name,
                 @JsonProperty("creditCode") String creditCode, @JsonProperty("idMasked") String idMasked,
                 @JsonProperty("idHash") String idHash) {
        this.type = type;
        this.name = name;
        this.creditCode = creditCode;
        this.idMasked = idMasked;
        this.idHash = idHash;
    }

    /** An organisation, with its (validated) credit code or null. */
    public static Party org(String name, String creditCode) {
        return new Party(PartyType.ORG, name, creditCode, null, null);
    }

    /** A person, identified only by the protected form of the ID number. */
    public static Party person(String name, ProtectedId id) {
        return new Party(PartyType.PERSON, name, null, id.masked(), id.hash());
    }

    public PartyType type() { return type; }
    public String name() { return name; }
    public String creditCode() { return creditCode; }
    public String idMasked() { return idMasked; }
    public String idHash() { return idHash; }

    @Override
    Object[] fields() {
        return new Object[] {type, name, creditCode, idMasked, idHash};
    }

    @Override
    public String toString() { return "Party[" + type + ", " + name + ", " + creditCode + ", " + idMasked + "]"; }
}
