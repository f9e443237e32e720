package yingyan.adapters.housingfund;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import yingyan.adapters.housingfund.SourceDatabase.Keyset;
import yingyan.adapters.housingfund.SourceDatabase.Row;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.CanonicalTime;
import yingyan.canonical.InvalidSourceException;
import yingyan.canonical.ResidentIds;
import yingyan.canonical.Violation;
import yingyan.ingest.Normaliser;
import yingyan.spi.SourceItem;

/**
 * Every folder test-data/housing-fund/&lt;case&gt;/ is a case: {@code input.sql} holds INSERTs into the
 * spec's GJJ_TQ / GJJ_DK tables (the rows as the centre has them), {@code expected.json} the canonical
 * records and quarantined rows. The rows are loaded into H2 in MariaDB mode and read back through the
 * adapter's own keyset reader (chunks of 2, so paging through shared seconds is exercised), then mapped
 * and validated as the pipeline does. A failing case writes what it got to
 * target/golden/housing-fund/&lt;case&gt;/actual.json.
 */
class HousingFundGoldenTest {
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @TestFactory
    Stream<DynamicTest> everyCaseFolder() throws IOException {
        List<Path> cases;
        try (Stream<Path> dirs = Files.list(SourceFixtures.CASES)) {
            cases = dirs.filter(Files::isDirectory).sorted().toList();
        }
        assertThat(cases).as("cases in " + SourceFixtures.CASES).isNotEmpty();
        return cases.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> run(dir)));
    }

    private void run(Path dir) throws Exception {
        assertThat(dir.resolve("input.sql")).exists();
        assertThat(dir.resolve("expected.json")).exists();
        Normaliser normaliser = SourceFixtures.normaliser();
        ArrayNode records = JsonNodeFactory.instance.arrayNode();
        ArrayNode quarantined = JsonNodeFactory.instance.arrayNode();
        try (Connection c = SourceFixtures.open(SourceFixtures.freshH2Url())) {
            SourceFixtures.createTables(c);
            SourceFixtures.runScript(c, dir.resolve("input.sql"));
            for (SourceTable t : SourceTable.values()) {
                List<Row> rows = readAll(c, t);
                assertThat(rows).as("every " + t + " row read exactly once").hasSize(count(c, t));
                for (Row row : rows) {
                    SourceItem item = SourceDatabase.item(row, OffsetDateTime.now(CanonicalTime.BEIJING));
                    try {
                        CanonicalRecord r = normaliser.mapOne(item);
                        ObjectNode json = CanonicalJson.mapper().valueToTree(r);
                        ((ObjectNode) json.get("source")).remove("fetchedAt");
                        records.add(json);
                    } catch (InvalidSourceException e) {
                        quarantined.add(quarantineView(item, e.violations()));
                    }
                }
            }
        }
        ObjectNode actual = JsonNodeFactory.instance.objectNode();
        actual.set("records", sorted(records, "recordId"));
        actual.set("quarantined", sorted(quarantined, "sourceKey"));
        JsonNode expected = PRETTY.readTree(dir.resolve("expected.json").toFile());
        try {
            compare(expected, actual);
        } catch (AssertionError e) {
            Path out = Path.of("target", "golden", HousingFundMapper.ADAPTER_ID, dir.getFileName().toString());
            Files.createDirectories(out);
            PRETTY.writeValue(out.resolve("actual.json").toFile(), actual);
            throw e;
        }
    }

    private static void compare(JsonNode expected, ObjectNode actual) throws IOException {
        ArrayNode expectedRecords = JsonNodeFactory.instance.arrayNode();
        for (JsonNode r : expected.path("records")) {
            ObjectNode copy = r.deepCopy();
            ((ObjectNode) copy.get("source")).remove("fetchedAt");
            expectedRecords.add(copy);
        }
        assertThat(PRETTY.writeValueAsString(actual.get("records")))
                .isEqualTo(PRETTY.writeValueAsString(sorted(expectedRecords, "recordId")));

        JsonNode got = actual.get("quarantined");
        List<String> expectedKeys = new ArrayList<>();
        expected.path("quarantined").forEach(q -> expectedKeys.add(q.path("sourceKey").asText()));
        List<String> gotKeys = new ArrayList<>();
        got.forEach(q -> gotKeys.add(q.path("sourceKey").asText()));
        assertThat(gotKeys).as("quarantined source keys").containsExactlyInAnyOrderElementsOf(expectedKeys);
        for (JsonNode want : expected.path("quarantined")) {
            JsonNode q = find(got, want.path("sourceKey").asText());
            assertThat(q.path("field").asText()).as("field of " + want.path("sourceKey").asText())
                    .isEqualTo(want.path("field").asText());
            assertThat(q.path("reason").asText()).as("reason of " + want.path("sourceKey").asText())
                    .contains(want.path("reasonContains").asText());
        }
    }

    /** What the Normaliser stores for a quarantined item: first violation's field, every reason masked. */
    private static ObjectNode quarantineView(SourceItem item, List<Violation> violations) {
        String reason = ResidentIds.maskAll(String.join("; ", violations.stream().map(Violation::describe).toList()));
        assertThat(reason).as("reason carries no clear resident ID").isEqualTo(ResidentIds.maskAll(reason));
        ObjectNode q = JsonNodeFactory.instance.objectNode();
        q.put("sourceKey", item.sourceKey());
        q.put("field", violations.get(0).field());
        q.put("reason", reason);
        q.put("origin", item.origin());
        return q;
    }

    private static List<Row> readAll(Connection c, SourceTable t) throws Exception {
        List<Row> all = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        Keyset after = null;
        while (true) {
            List<Row> chunk = SourceDatabase.chunk(c, t, after, 2, 10);
            for (Row r : chunk) {
                assertThat(keys.add(r.key())).as(r.key() + " read twice").isTrue();
            }
            all.addAll(chunk);
            if (chunk.size() < 2) {
                return all;
            }
            after = chunk.get(chunk.size() - 1).position();
        }
    }

    private static int count(Connection c, SourceTable t) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + t.name())) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static JsonNode find(JsonNode array, String sourceKey) {
        for (JsonNode n : array) {
            if (sourceKey.equals(n.path("sourceKey").asText())) {
                return n;
            }
        }
        throw new AssertionError("no quarantined item " + sourceKey);
    }

    private static ArrayNode sorted(ArrayNode in, String field) {
        List<JsonNode> list = new ArrayList<>();
        in.forEach(list::add);
        list.sort(Comparator.comparing(n -> n.path(field).asText()));
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        list.forEach(out::add);
        return out;
    }
}
