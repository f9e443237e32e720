package yingyan.adapters.hubfeed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.CanonicalTime;
import yingyan.canonical.InvalidSourceException;
import yingyan.canonical.ResidentIds;
import yingyan.config.HubProperties;
import yingyan.ingest.MapperRegistry;
import yingyan.ingest.Normaliser;
import yingyan.spi.SourceItem;

/**
 * Golden pairs, found by folder: every {@code test-data/hub-feed/<case>/} holds {@code input.json} (a feed
 * page as the other hub answers it) and {@code expected.json} ({@code records}: what this hub stores —
 * the same records, lineage unchanged, {@code source.fetchedAt} ignored; {@code quarantined}: sourceKey,
 * field, reasonContains). Each item goes through the production path ({@link HubFeedSource#item},
 * {@link Normaliser#mapOne}). A new folder is a new case; no Java needed.
 */
class HubFeedGoldenTest {
    static final Path ROOT = Path.of("test-data", HubFeedProperties.ADAPTER_ID);

    private final Normaliser normaliser = new Normaliser(new MapperRegistry(List.of(new HubFeedMapper())), null,
            new HubProperties("370700", new HubProperties.Queues("q"),
                    new HubProperties.PersonalData("golden-test-hmac-key-0123456789"),
                    new HubProperties.Quarantine("golden-test-quarantine-key"), new HubProperties.Persist(1, 5, 4, java.time.Duration.ofSeconds(30)),
                    new HubProperties.Security(List.of())));

    @TestFactory
    Stream<DynamicTest> goldenPairs() throws IOException {
        List<Path> folders;
        try (Stream<Path> s = Files.list(ROOT)) {
            folders = s.filter(Files::isDirectory).sorted().toList();
        }
        assertFalse(folders.isEmpty(), "no golden folders under " + ROOT.toAbsolutePath());
        return folders.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> check(dir)));
    }

    private void check(Path dir) throws IOException {
        JsonNode page = CanonicalJson.mapper().readTree(Files.readAllBytes(dir.resolve("input.json")));
        JsonNode expected = CanonicalJson.mapper().readTree(Files.readAllBytes(dir.resolve("expected.json")));
        assertTrue(page.path("items").isArray(), dir + "/input.json must be a feed page with items");
        ArrayNode records = CanonicalJson.mapper().createArrayNode();
        ArrayNode quarantined = CanonicalJson.mapper().createArrayNode();
        OffsetDateTime now = OffsetDateTime.now(CanonicalTime.BEIJING);
        int i = 0;
        for (JsonNode item : page.get("items")) {
            SourceItem source = HubFeedSource.item(item, "golden item " + (++i), now);
            try {
                CanonicalRecord r = normaliser.mapOne(source);
                ObjectNode actual = CanonicalJson.mapper().valueToTree(r);
                // Passed through: the other hub's read time, not ours.
                assertEquals(item.at("/source/fetchedAt").asText(), actual.at("/source/fetchedAt").asText());
                ((ObjectNode) actual.get("source")).remove("fetchedAt");
                records.add(actual);
            } catch (InvalidSourceException e) {
                String reason = ResidentIds.maskAll(e.getMessage());
                ObjectNode q = quarantined.addObject();
                q.put("sourceKey", source.sourceKey());
                q.put("field", e.violations().get(0).field());
                q.put("reason", reason);
            }
        }
        JsonNode wantRecords = expected.get("records").deepCopy();
        wantRecords.forEach(r -> ((ObjectNode) r.get("source")).remove("fetchedAt"));
        assertEquals(wantRecords.toPrettyString(), records.toPrettyString(), dir + ": stored records");
        JsonNode wantQ = expected.get("quarantined");
        assertEquals(wantQ.size(), quarantined.size(), dir + ": quarantined " + quarantined.toPrettyString());
        for (int k = 0; k < wantQ.size(); k++) {
            JsonNode w = wantQ.get(k);
            JsonNode got = quarantined.get(k);
            assertEquals(w.get("sourceKey").isNull() ? null : w.get("sourceKey").asText(),
                    got.get("sourceKey").isNull() ? null : got.get("sourceKey").asText(), "sourceKey of " + got);
            assertEquals(w.get("field").asText(), got.get("field").asText(), "field of " + got);
            String reason = got.get("reason").asText();
            if (!reason.contains(w.get("reasonContains").asText())) {
                fail("reason '" + reason + "' does not contain '" + w.get("reasonContains").asText() + "'");
            }
        }
    }
}
