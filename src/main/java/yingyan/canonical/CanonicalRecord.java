package yingyan.canonical;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlElementWrapper;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One canonical supervision record, v1. JSON (Jackson) is normative; the XML form (JAXB) carries
 * the same fields with the same names, lists wrapped as {@code <amounts><amount/>} and
 * {@code <timeline><entry/>}. Immutable once built; see {@link RecordValidator} for the rules.
 */
@XmlRootElement(name = "record")
@XmlType(propOrder = {"schemaVersion", "recordId", "domain", "regionCode", "department", "matter", "party",
        "amounts", "timeline", "limits", "status", "source"})
@JsonPropertyOrder({"schemaVersion", "recordId", "domain", "regionCode", "department", "matter", "party",
        "amounts", "timeline", "limits", "status", "source"})
public final class CanonicalRecord extends CanonicalValue {
    public static final String SCHEMA_VERSION = "1";
    public static final String XML_NAMESPACE = "urn:yingyan:canonical:v1";

    private String schemaVersion = SCHEMA_VERSION;
    private String recordId;
    private Domain domain;
    private String regionCode;
    private Department department;
    private Matter matter;
    private Party party;
    @XmlElementWrapper(name = "amounts")
    @XmlElement(name = "amount")
    private List<Amount> amounts = new ArrayList<>();
    @XmlElementWrapper(name = "timeline")
    @XmlElement(name = "entry")
    private List<TimelineEntry> timeline = new ArrayList<>();
    private Limits limits;
    private Status status;
    private SourceLineage source;

    CanonicalRecord() {
    }

    @JsonCreator
    public CanonicalRecord(@JsonProperty("schemaVersion") String schemaVersion,
                           @JsonProperty("recordId") String recordId,
                           @JsonProperty("domain") Domain domain,
                           @JsonProperty("regionCode") String regionCode,
                           @JsonProperty("department") Department department,
                           @JsonProperty("matter") Matter matter,
                           @JsonProperty("party") Party party,
                           @JsonProperty("amounts") List<Amount> amounts,
                           @JsonProperty("timeline") List<TimelineEntry> timeline,
                           @JsonProperty("limits") Limits limits,
                           @JsonProperty("status") Status status,
                           @JsonProperty("source") SourceLineage source) {
        this.schemaVersion = schemaVersion;
        this.recordId = recordId;
        this.domain = domain;
        this.regionCode = regionCode;
        this.department = department;
        this.matter = matter;
        this.party = party;
        this.amounts = amounts == null ? new ArrayList<>() : new ArrayList<>(amounts);
        this.timeline = timeline == null ? new ArrayList<>() : new ArrayList<>(timeline);
        this.limits = limits;
        this.status = status;
        this.source = source;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String schemaVersion() { return schemaVersion; }
    public String recordId() { return recordId; }
    public Domain domain() { return domain; }
    public String regionCode() { return regionCode; }
    public Department department() { return department; }
    public Matter matter() { return matter; }
    public Party party() { return party; }
    public List<Amount> amounts() { return List.copyOf(amounts); }
    public List<TimelineEntry> timeline() { return List.copyOf(timeline); }
    public Limits limits() { return limits; }
    public Status status() { return status; }
    public SourceLineage source() { return source; }

    @Override
    Object[] fields() {
        return new Object[] {schemaVersion, recordId, domain, regionCode, department, matter, party, amounts, timeline,
                limits, status, source};
    }

    /** Of the id and lineage only: records equal in every field share them, and it is cheaper than all twelve. */
    @Override
    public int hashCode() {
        return Objects.hash(recordId, source);
    }

    @Override
    public String toString() {
        return "CanonicalRecord[" + recordId + ", " + domain + ", " + regionCode + ", " + status + ", " + source + "]";
    }

    /** Builds a record; {@code recordId} is derived from the source system and key. */
    public static final class Builder {
        private Domain domain;
        private String regionCode;
        private Department department;
        private Matter matter;
        private Party party;
        private final List<Amount> amounts = new ArrayList<>();
        private final List<TimelineEntry> timeline = new ArrayList<>();
        private Limits limits;
        private Status status;
        private SourceLineage source;

        public Builder domain(Domain v) { domain = v; return this; }
        public Builder regionCode(String v) { regionCode = v; return this; }
        public Builder department(Department v) { department = v; return this; }
        public Builder matter(Matter v) { matter = v; return this; }
        public Builder party(Party v) { party = v; return this; }
        public Builder limits(Limits v) { limits = v; return this; }
        public Builder status(Status v) { status = v; return this; }
        public Builder source(SourceLineage v) { source = v; return this; }

        /** Adds an amount when the source has one; a null or empty value means absent, not zero. */
        public Builder amount(AmountKind kind, String value) {
            if (value != null && !value.isBlank()) {
                amounts.add(Amount.cny(kind, value));
            }
            return this;
        }

        /** Adds a step when the source has its time; steps a source lacks stay absent. */
        public Builder step(Step step, OffsetDateTime at, String actor) {
            if (at != null) {
                timeline.add(new TimelineEntry(step, at, actor));
            }
            return this;
        }

        public CanonicalRecord build() {
            amounts.sort(Comparator.comparing(Amount::kind));
            // By instant, as RecordValidator checks: OffsetDateTime's natural order also compares local times.
            timeline.sort(Comparator.comparing(TimelineEntry::at, OffsetDateTime.timeLineOrder())
                    .thenComparing(TimelineEntry::step));
            String id = source == null ? null : source.system() + ":" + source.key();
            return new CanonicalRecord(SCHEMA_VERSION, id, domain, regionCode, department, matter, party,
                    amounts, timeline, limits, status, source);
        }
    }
}
