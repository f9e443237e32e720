package yingyan.canonical;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.xml.bind.annotation.XmlType;

/** The power item or transaction kind. */
@XmlType(propOrder = {"code", "name"})
@JsonPropertyOrder({"code", "name"})
public final class Matter extends CanonicalValue {
    private String code;
    private String name;

    Matter() {
    }

    @JsonCreator
    public Matter(@JsonProperty("code") String code, @JsonProperty("name") String name) {
        this.code = code;
        this.name = name;
    }

    public String code() { return code; }
    public String name() { return name; }

    @Override
    Object[] fields() {
        return new Object[] {code, name};
    }

    @Override
    public String toString() { return "Matter[" + code + ", " + name + "]"; }
}
