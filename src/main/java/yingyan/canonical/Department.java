package yingyan.canonical;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlType;
import java.util.Objects;

/** The department exercising the power: its own code (upper-case), name, and whether it is vertically managed. */
@XmlAccessorType(XmlAccessType.FIELD)
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@XmlType(propOrder = {"code", "name", "verticallyManaged"})
@JsonPropertyOrder({"code", "name", "verticallyManaged"})
public final class Department {
    private String code;
    private String name;
    private boolean verticallyManaged;

    Department() {
    }

    @JsonCreator
    public Department(@JsonProperty("code") String code, @JsonProperty("name") String name,
                      @JsonProperty("verticallyManaged") boolean verticallyManaged) {
        this.code = code;
        this.name = name;
        this.verticallyManaged = verticallyManaged;
    }

    public String code() { return code; }
    public String name() { return name; }
    public boolean verticallyManaged() { return verticallyManaged; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Department d && verticallyManaged == d.verticallyManaged
                && Objects.equals(code, d.code) && Objects.equals(name, d.name);
    }

    @Override
    public int hashCode() { return Objects.hash(code, name, verticallyManaged); }

    @Override
    public String toString() { return "Department[" + code + ", " + name + ", vertical=" + verticallyManaged + "]"; }
}
