package yingyan.canonical;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.xml.bind.annotation.XmlType;
import java.time.OffsetDateTime;

/** One step of the timeline, to the second. */
@XmlType(propOrder = {"step", "at", "actor"})
@JsonPropertyOrder({"step", "at", "actor"})
public final class TimelineEntry extends CanonicalValue {
    private Step step;
    private OffsetDateTime at;
    private String actor;

    TimelineEntry() {
    }

    @JsonCreator
    public TimelineEntry(@JsonProperty("step") Step step, @JsonProperty("at") OffsetDateTime at,
                         @JsonProperty("actor") String actor) {
        this.step = step;
        this.at = at;
        this.actor = actor;
    }

    public Step step() { return step; }
    public OffsetDateTime at() { return at; }
    public String actor() { return actor; }

    @Override
    Object[] fields() {
        return new Object[] {step, at, actor};
    }

    @Override
    public String toString() { return step + "@" + at + (actor == null ? "" : " by " + actor); }
}
