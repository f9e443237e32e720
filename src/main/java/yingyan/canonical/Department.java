package yingyan.canonical;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.xml.bind.annotation.XmlType;

/** The department exercising the power: its own code (upper-case), name, and whether it is vertically managed. */
@XmlType(propOrder = {"code", "name", "verticallyManaged"})
@JsonPropertyOrder({"code", "name", "verticallyManaged"})
public final class Department extends CanonicalValue {
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
    Object[] fields() {
        return new Object[] {code, name, verticallyManaged};
    }

    @Override
    public String toString() { return "Department[" + code + ", " + name + ", vertical=" + verticallyManaged + "]"; }
}
