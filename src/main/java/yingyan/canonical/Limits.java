package yingyan.canonical;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.xml.bind.annotation.XmlType;

/** Statutory and promised time limits, in working days. */
@XmlType(propOrder = {"legalWorkingDays", "promisedWorkingDays"})
@JsonPropertyOrder({"legalWorkingDays", "promisedWorkingDays"})
public final class Limits extends CanonicalValue {
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
    Object[] fields() {
        return new Object[] {legalWorkingDays, promisedWorkingDays};
    }

    @Override
    public String toString() { return "Limits[" + legalWorkingDays + ", " + promisedWorkingDays + "]"; }
}
