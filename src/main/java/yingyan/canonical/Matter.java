package yingyan.canonical;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlType;
import java.util.Objects;

/** The power item or transaction kind. */
@XmlAccessorType(XmlAccessType.FIELD)
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@XmlType(propOrder = {"code", "name"})
@JsonPropertyOrder({"code", "name"})
public final class Matter {
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
    public boolean equals(Object o) {
        return o instanceof Matter m && Objects.equals(code, m.code) && Objects.equals(name, m.name);
    }

    @Override
    public int hashCode() { return Objects.hash(code, name); }

    @Override
    public String toString() { return "Matter[" + code + ", " + name + "]"; }
}
