package yingyan.adapters.approvals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
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
 * Golden pairs, found by folder: every {@code test-data/approvals/<case>/} holds {@code input.json} (a page
 * as the API answers it) and {@code expected.json} (one entry per item, in page order: {@code {"record": …}}
 * — canonical v1 without {@code source.fetchedAt} — or {@code {"quarantine": {"field": …, "reason": …}}}).
 * Each item goes through the same mapping and validation as in production ({@link Normaliser#mapOne}).
 * A new folder is a new case; no Java needed.
 */
class ApprovalsGoldenTest {
    static final Path ROOT = Path.of("test-data", ApprovalsProperties.ADAPTER_ID);
    /** The resident-ID HMAC key the expected idHash values were computed with. */
    static final String HMAC_KEY = "golden-test-hmac-key-0123456789";
    private static final Pattern CLEAR_ID = Pattern.compile("[0-9]{17}[0-9Xx]|(?<![0-9*])[0-9]{15}(?![0-9])");

    private final Normaliser normaliser = normaliser(HMAC_KEY);

    static Normaliser normaliser(String hmacKey) {
        HubProperties hub = new HubProperties("370700", new HubProperties.Queues("q"),
                new HubProperties.PersonalData(hmacKey), new HubProperties.Quarantine("golden-test-quarantine-key"),
                new HubProperties.Persist(1, 5, 4, java.time.Duration.ofSeconds(30)), new HubProperties.Security(List.of()));
        // mapOne never touches the quarantine store: the Normaliser's quarantining is the route test's business.
        return new Normaliser(new MapperRegistry(List.of(new ApprovalsMapper())), null, hub);
    }

    @TestFactory
    Stream<DynamicNode> goldenPairs() throws IOException {
        List<Path> folders;
        try (Stream<Path> s = Files.list(ROOT)) {
            folders = s.filter(Files::isDirectory).sorted().toList();
        }
        assertFalse(folders.isEmpty(), "no golden folders under " + ROOT.toAbsolutePath());
        return folders.stream().map(this::folder);
    }

    private DynamicNode folder(Path dir) {
        JsonNode page;
        JsonNode expected;
        try {
            page = ApprovalsJson.read(Files.readAllBytes(dir.resolve("input.json")));
            expected = CanonicalJson.mapper().readTree(Files.readAllBytes(dir.resolve("expected.json")));
        } catch (IOException e) {
            return DynamicTest.dynamicTest(dir.getFileName().toString(),
                    () -> fail(dir + " needs a readable input.json and expected.json: " + e));
        }
        JsonNode items = page.path("items");
        List<DynamicNode> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("one expectation per item", () -> {
            assertTrue(items.isArray(), dir + "/input.json must be a page with an items array");
            assertEquals(items.size(), expected.size(), dir + "/expected.json must have one entry per input item");
        }));
        for (int i = 0; i < Math.min(items.size(), expected.size()); i++) {
            JsonNode item = items.get(i);
            JsonNode want = expected.get(i);
            String name = "item " + (i + 1) + " " + item.path("caseNo").asText("(no caseNo)");
            tests.add(DynamicTest.dynamicTest(name, () -> check(item, want)));
        }
        return DynamicContainer.dynamicContainer(dir.getFileName().toString(), tests);
    }

    private void check(JsonNode item, JsonNode want) {
        SourceItem source = SourceItem.utf8(ApprovalsProperties.ADAPTER_ID, item.path("caseNo").textValue(),
                ApprovalsJson.stable(item), "golden",
                OffsetDateTime.now(CanonicalTime.BEIJING).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        if (want.has("record")) {
            CanonicalRecord r = normaliser.mapOne(source);
            ObjectNode actual = CanonicalJson.mapper().valueToTree(r);
            assertEquals(CanonicalTime.format(source.fetchedAt()), actual.path("source").path("fetchedAt").asText());
            ((ObjectNode) actual.get("source")).remove("fetchedAt");
            assertEquals(want.get("record").toPrettyString(), actual.toPrettyString());
        } else if (want.has("quarantine")) {
            InvalidSourceException e = assertThrows(InvalidSourceException.class, () -> normaliser.mapOne(source));
            // As the Normaliser stores it in quarantine.
            String reason = ResidentIds.maskAll(e.getMessage());
            assertEquals(want.at("/quarantine/field").asText(), e.violations().get(0).field());
            assertEquals(want.at("/quarantine/reason").asText(), reason);
            assertFalse(CLEAR_ID.matcher(e.getMessage()).find(), "a clear resident ID in: " + e.getMessage());
        } else {
            fail("an expectation is {\"record\": …} or {\"quarantine\": …}, not " + want);
        }
    }
}
