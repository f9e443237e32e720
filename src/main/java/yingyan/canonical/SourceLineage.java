package yingyan.canonical;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.xml.bind.annotation.XmlType;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;

/**
 * Where a record version came from: adapter, source key, source change time (to the second), read time
 * (to the millisecond; finer precision is truncated), payload hash.
 */
@XmlType(propOrder = {"system", "key", "updatedAt", "fetchedAt", "payloadSha256"})
@JsonPropertyOrder({"system", "key", "updatedAt", "fetchedAt", "payloadSha256"})
public final class SourceLineage extends CanonicalValue {
    private String system;
    private String key;
    private OffsetDateTime updatedAt;
    private OffsetDateTime fetchedAt;
    private String payloadSha256;

    SourceLineage() {
    }

    @JsonCreator
    public SourceLineage(@JsonProperty("system") String system, @JsonProperty("key") String key,
                         @JsonProperty("updatedAt") OffsetDateTime updatedAt,
                         @JsonProperty("fetchedAt") OffsetDateTime fetchedAt,
                         @JsonProperty("payloadSha256") String payloadSha256) {
        this.system = system;
        this.key = key;
        this.updatedAt = updatedAt;
        // The model keeps the hub's read time to the millisecond; OffsetDateTime.now() carries microseconds.
        this.fetchedAt = fetchedAt == null ? null : fetchedAt.truncatedTo(ChronoUnit.MILLIS);
        this.payloadSha256 = payloadSha256;
    }

    public String system() { return system; }
    public String key() { return key; }
    public OffsetDateTime updatedAt() { return updatedAt; }
    public OffsetDateTime fetchedAt() { return fetchedAt; }
    public String payloadSha256() { return payloadSha256; }

    @Override
    Object[] fields() {
        return new Object[] {system, key, updatedAt, fetchedAt, payloadSha256};
    }

    @Override
    public String toString() { return system + ":" + key + "@" + updatedAt + " sha256=" + payloadSha256; }
}
