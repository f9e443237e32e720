package yingyan.canonical;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlType;
import java.time.OffsetDateTime;
import java.util.Objects;

/** One step of the timeline, to the second. */
@XmlAccessorType(XmlAccessType.FIELD)
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@XmlType(propOrder = {"step", "at", "actor"})
@JsonPropertyOrder({"step", "at", "actor"})
public final class TimelineEntry {
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
    public boolean equals(Object o) {
        return o instanceof TimelineEntry t && step == t.step && Objects.equals(at, t.at)
                && Objects.equals(actor, t.actor);
    }

    @Override
    public int hashCode() { return Objects.hash(step, at, actor); }

    @Override
    public String toString() { return step + "@" + at + (actor == null ? "" : " by " + actor); }
}
