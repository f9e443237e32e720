package yingyan.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.CanonicalTime;
import yingyan.canonical.Department;
import yingyan.canonical.Domain;
import yingyan.canonical.InvalidSourceException;
import yingyan.canonical.Matter;
import yingyan.canonical.Party;
import yingyan.canonical.Status;
import yingyan.canonical.Step;
import yingyan.spi.MappingContext;
import yingyan.spi.SourceItem;
import yingyan.spi.SourceMapper;

/**
 * A minimal department for pipeline tests: {"key", "updatedAt", "region", "fee", "state", "id"?}.
 * Registered only by the tests that import it.
 */
public class FixtureMapper implements SourceMapper {

    /**
     * Registers the fixture department in a test's hub: {@code @Import(FixtureMapper.Config.class)}. A test
     * configuration, so component scanning leaves it out of every other test's hub.
     */
    @org.springframework.boot.test.context.TestConfiguration(proxyBeanMethods = false)
    public static class Config {
        @org.springframework.context.annotation.Bean
        FixtureMapper fixtureMapper() {
            return new FixtureMapper();
        }
    }

    public static final String ID = "fixture";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Simulates a mapping fix: until set, the state PENDING is unknown to the mapping. */
    public static volatile boolean pendingKnown;

    @Override
    public String adapterId() {
        return ID;
    }

    @Override
    public CanonicalRecord map(SourceItem item, MappingContext ctx) {
        JsonNode n;
        try {
            n = JSON.readTree(item.raw());
        } catch (IOException e) {
            throw new InvalidSourceException("(item)", null, "not JSON: " + e.getMessage());
        }
        String key = n.path("key").asText(null);
        var updatedAt = CanonicalTime.parseSource(n.path("updatedAt").asText());
        Party party = n.hasNonNull("id")
                ? Party.person("某人", ctx.protectId("id", n.get("id").asText(), false))
                : Party.org("某公司", null);
        return CanonicalRecord.builder()
                .domain(Domain.APPROVAL)
                .regionCode(n.path("region").asText("370700"))
                .department(new Department("FIXTURE", "测试部门", false))
                .matter(new Matter("M-1", "测试事项"))
                .party(party)
                .amount(yingyan.canonical.AmountKind.FEE, n.hasNonNull("fee") ? n.get("fee").asText() : null)
                .step(Step.RECEIVED, updatedAt, null)
                .status(status(n.path("state").asText("OPEN")))
                .source(ctx.lineage(item, key, updatedAt))
                .build();
    }

    private static Status status(String state) {
        if (state.equals("PENDING") && pendingKnown) {
            return Status.OPEN;
        }
        try {
            return Status.valueOf(state);
        } catch (IllegalArgumentException e) {
            throw new InvalidSourceException("state", state, "unknown state");
        }
    }

    /** A source item of this fixture department. */
    public static SourceItem item(String key, String updatedAt, String fee) {
        return item(key, updatedAt, fee, "370700");
    }

    public static SourceItem item(String key, String updatedAt, String fee, String region) {
        String json = "{\"key\":\"" + key + "\",\"updatedAt\":\"" + updatedAt + "\",\"region\":\"" + region + "\""
                + (fee == null ? "" : ",\"fee\":\"" + fee + "\"") + "}";
        return SourceItem.utf8(ID, key, json.getBytes(java.nio.charset.StandardCharsets.UTF_8), "test",
                java.time.OffsetDateTime.now(CanonicalTime.BEIJING));
    }
}
