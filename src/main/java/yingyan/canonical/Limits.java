package yingyan.canonical;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlType;
import java.util.Objects;

/** Statutory and promised time limits, in working days. */
@XmlAccessorType(XmlAccessType.FIELD)
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@XmlType(propOrder = {"legalWorkingDays", "promisedWorkingDays"})
@JsonPropertyOrder({"legalWorkingDays", "promisedWorkingDays"})
public final class Limits {
    private Integer legalWorkingDays;
    private Integer promisedWorkingDays;

    Limits() {
    }

    @JsonCreator
    public Limits(@JsonProperty("legalWorkingDays") Integer legalWorkingDays,
                  @JsonProperty("promisedWorkingDays") Integer promisedWorkingDays) {
        this.legalWorkingDays = legalWorkingDays;
        this.promisedWorkingDays = promisedWorkingDays;
    }

    /** Null when both limits are absent, as the model asks. */
    public static Limits ofNullable(Integer legal, Integer promised) {
        return legal == null && promised == null ? null : new Limits(legal, promised);
    }

    public Integer legalWorkingDays() { return legalWorkingDays; }
    public Integer promisedWorkingDays() { return promisedWorkingDays; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Limits l && Objects.equals(legalWorkingDays, l.legalWorkingDays)
                && Objects.equals(promisedWorkingDays, l.promisedWorkingDays);
    }

    @Override
    public int hashCode() { return Objects.hash(legalWorkingDays, promisedWorkingDays); }

    @Override
    public String toString() { return "Limits[" + legalWorkingDays + ", " + promisedWorkingDays + "]"; }
}
