package yingyan.adapters.procurement;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.CanonicalTime;
import yingyan.canonical.InvalidSourceException;
import yingyan.canonical.RecordValidator;
import yingyan.canonical.ResidentIdProtector;
import yingyan.spi.MappingContext;
import yingyan.spi.SourceItem;

/**
 * Every folder of test-data/procurement/ is a case: {@code input.csv} (GBK bytes as the office sends
 * them) read, mapped and validated as the pipeline does must give exactly {@code expected.json}: the
 * records (source.fetchedAt ignored) in file order, and the quarantined items in file order by source
 * key, first offending field and a part of the reason. Dropping a new pair adds a case.
 */
class ProcurementGoldenTest {
    private static final Path CASES = Path.of("test-data", ProcurementProperties.ADAPTER_ID);
    private static final ObjectMapper JSON = CanonicalJson.mapper();

    private final ProcurementMapper mapper = new ProcurementMapper();
    private final MappingContext context = new MappingContext(new ResidentIdProtector("golden-test-hmac-key"));

    @TestFactory
    Stream<DynamicTest> everyCaseGivesItsExpectedRecordsAndQuarantine() throws IOException {
        List<Path> cases;
        try (Stream<Path> s = Files.list(CASES)) {
            cases = s.filter(p -> Files.isRegularFile(p.resolve("input.csv"))).sorted().toList();
        }
        assertThat(cases).as("cases under " + CASES).isNotEmpty();
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.getFileName().toString(), () -> check(c)));
    }

    private void check(Path dir) throws IOException {
        List<SourceItem> items = new ArrayList<>();
        try (InputStream in = Files.newInputStream(dir.resolve("input.csv"))) {
            OffsetDateTime fetchedAt = OffsetDateTime.now(CanonicalTime.BEIJING).truncatedTo(ChronoUnit.MILLIS);
            ProcurementExport.read(in, "cgjg_" + dir.getFileName() + ".csv", fetchedAt, items::add);
        }
        ArrayNode records = JSON.createArrayNode();
        ArrayNode quarantined = JSON.createArrayNode();
        for (SourceItem item : items) {
            try {
                CanonicalRecord r = RecordValidator.requireValid(mapper.map(item, context));
                ObjectNode json = JSON.valueToTree(r);
                ((ObjectNode) json.get("source")).remove("fetchedAt");
                records.add(json);
            } catch (InvalidSourceException e) {
                quarantined.addObject().put("sourceKey", item.sourceKey())
                        .put("field", e.violations().get(0).field()).put("reason", e.getMessage())
                        .put("origin", item.origin());
            }
        }
        Path expectedFile = dir.resolve("expected.json");
        if (!Files.exists(expectedFile)) {
            ObjectNode actual = JSON.createObjectNode();
            actual.set("records", records);
            actual.set("quarantined", quarantined);
            Files.writeString(dir.resolve("actual.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(actual));
            throw new AssertionError("no expected.json in " + dir + "; wrote actual.json to review");
        }
        JsonNode expected = JSON.readTree(expectedFile.toFile());
        ArrayNode expectedRecords = (ArrayNode) expected.get("records").deepCopy();
        expectedRecords.forEach(r -> ((ObjectNode) r.get("source")).remove("fetchedAt"));
        assertThat(records).as("records of " + dir).isEqualTo(expectedRecords);

        JsonNode expectedQ = expected.get("quarantined");
        assertThat(quarantined.size()).as("quarantined items of " + dir + ": " + quarantined)
                .isEqualTo(expectedQ.size());
        for (int i = 0; i < expectedQ.size(); i++) {
            JsonNode want = expectedQ.get(i);
            JsonNode got = quarantined.get(i);
            String where = dir.getFileName() + " quarantined[" + i + "] " + got;
            assertThat(got.get("sourceKey")).as(where).isEqualTo(want.get("sourceKey"));
            assertThat(got.get("field").asText()).as(where).isEqualTo(want.get("field").asText());
            assertThat(got.get("reason").asText()).as(where).contains(want.get("reasonContains").asText());
        }
    }
}
