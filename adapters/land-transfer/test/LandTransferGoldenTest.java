package yingyan.adapters.landtransfer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.CanonicalTime;
import yingyan.canonical.InvalidSourceException;
import yingyan.canonical.RecordValidator;
import yingyan.canonical.ResidentIdProtector;
import yingyan.canonical.Violation;
import yingyan.spi.MappingContext;
import yingyan.spi.SourceItem;

/**
 * Every {@code test-data/land-transfer/<case>/input.xml} read as the adapter reads a dropped file (scan,
 * stream, map, validate) must give exactly the records and quarantine entries of its
 * {@code expected.json}: dropping a new pair into the folder adds a case. The payload hashes in the
 * expected records pin the stable serialisation; the idHash pins the HMAC of {@link #HMAC_KEY}.
 */
class LandTransferGoldenTest {
    static final Path CASES = Path.of("test-data", LandTransferProperties.ADAPTER_ID);
    static final String HMAC_KEY = "golden-test-hmac-key-0123456789";
    static final OffsetDateTime FETCHED_AT = OffsetDateTime.parse("2026-03-11T02:05:00+08:00");

    static Stream<Path> cases() throws IOException {
        try (Stream<Path> dirs = Files.list(CASES)) {
            List<Path> found = dirs.filter(d -> Files.isRegularFile(d.resolve("input.xml"))).sorted().toList();
            assertThat(found).as("golden cases under " + CASES.toAbsolutePath()).isNotEmpty();
            return found.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void inputGivesExpectedRecordsAndQuarantine(Path dir) throws IOException {
        ObjectNode actual = run(dir.resolve("input.xml"));
        Path expectedFile = dir.resolve("expected.json");
        if (Boolean.getBoolean("golden.write")) {
            // Bootstrapping a new case only: the written file must be reviewed by hand before it is committed.
            Files.writeString(expectedFile, CanonicalJson.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(actual) + "\n");
        }
        JsonNode expected = CanonicalJson.mapper().readTree(expectedFile.toFile());

        assertThat(withoutFetchedAt(actual.get("records")))
                .as("records of " + dir.getFileName())
                .isEqualTo(withoutFetchedAt(expected.get("records")));

        JsonNode got = actual.get("quarantined");
        JsonNode want = expected.get("quarantined");
        assertThat(got.size()).as("quarantined items of " + dir.getFileName() + ": " + got).isEqualTo(want.size());
        for (int i = 0; i < want.size(); i++) {
            JsonNode w = want.get(i);
            JsonNode g = got.get(i);
            assertThat(g.get("sourceKey")).as("sourceKey of quarantined #" + i).isEqualTo(w.get("sourceKey"));
            assertThat(g.get("field").asText()).as("field of quarantined #" + i).isEqualTo(w.get("field").asText());
            assertThat(g.get("reason").asText()).as("reason of quarantined #" + i)
                    .contains(w.get("reasonContains").asText());
        }
    }

    /** The adapter's reading and mapping of one file, without the pipeline: records and quarantine entries. */
    static ObjectNode run(Path input) throws IOException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ArrayNode records = f.arrayNode();
        ArrayNode quarantined = f.arrayNode();
        LandTransferMapper mapper = new LandTransferMapper();
        MappingContext ctx = new MappingContext(new ResidentIdProtector(HMAC_KEY));
        ExportReader reader = new ExportReader(LandTransferProperties.ADAPTER_ID, 1024 * 1024);
        String name = input.getFileName().toString();
        reader.read(input, name, ExportScan.of(input, name), FETCHED_AT, new ExportReader.Sink() {
            @Override
            public void item(SourceItem item) {
                try {
                    CanonicalRecord r = RecordValidator.requireValid(mapper.map(item, ctx));
                    records.add(CanonicalJson.mapper().valueToTree(r));
                } catch (InvalidSourceException e) {
                    List<Violation> v = e.violations();
                    quarantined.add(entry(item.sourceKey(), v.get(0).field(), e.getMessage(), item.origin()));
                }
            }

            @Override
            public void problem(ExportReader.Problem p) {
                quarantined.add(entry(p.sourceKey(), p.field(), p.reason(), p.origin()));
            }
        });
        ObjectNode out = f.objectNode();
        out.set("records", records);
        out.set("quarantined", quarantined);
        return out;
    }

    private static ObjectNode entry(String sourceKey, String field, String reason, String origin) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("sourceKey", sourceKey);
        n.put("field", field);
        n.put("reason", reason);
        n.put("reasonContains", reason);
        n.put("origin", origin);
        return n;
    }

    private static List<JsonNode> withoutFetchedAt(JsonNode records) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode r : records) {
            JsonNode copy = r.deepCopy();
            if (copy.get("source") instanceof ObjectNode s) {
                s.remove("fetchedAt");
            }
            out.add(copy);
        }
        return out;
    }

    static String fetchedAt() {
        return CanonicalTime.format(FETCHED_AT);
    }
}
