package yingyan.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AssignableTypeFilter;
import org.springframework.stereotype.Component;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.CanonicalTime;
import yingyan.canonical.InvalidSourceException;
import yingyan.canonical.ResidentIds;
import yingyan.config.HubProperties;
import yingyan.ingest.MapperRegistry;
import yingyan.ingest.Normaliser;
import yingyan.spi.SourceItem;
import yingyan.spi.SourceMapper;
import yingyan.testsupport.GoldenReader;

/**
 * Every golden case of every adapter, found by folder (after camel-kamelets' one catalogue test over a flat
 * folder): each {@code test-data/<id>/<case>/} holds {@code input.*} exactly as the department sends it and
 * {@code expected.json}. A new case is a new folder; a new adapter is a new {@code test-data/<id>/} and its
 * {@code adapters/<id>/test/golden.properties}; neither needs Java here.
 *
 * <p>The adapter's reader ({@link GoldenReader}, named in golden.properties) reads the input as the adapter
 * reads its source; each item is then mapped and validated by the hub's {@link Normaliser#mapOne} with the
 * adapter's registered mapper, and what fails is worded as the quarantine stores it. {@code expected.json}:
 * <pre>
 * {"records": [canonical v1 records, in the order the adapter reads them],
 *  "quarantined": [{"sourceKey": key or null, "field": first offending field,
 *                   "reason": the whole reason as stored (resident IDs masked) | "reasonContains": a part}]}
 * </pre>
 * A record's {@code source.fetchedAt} is left out when it is the hub's read time (then it must be that);
 * when stated (a relay keeps the other hub's) it must be exactly that. A case that fails, or has no
 * expected.json yet, writes what it got to {@code target/golden/<id>/<case>/actual.json} for review.
 */
class GoldenCasesTest {
    static final Path TEST_DATA = Path.of("test-data");
    static final Path ADAPTERS = Path.of("adapters");
    /** The test profile's resident-ID key (application-test.yaml): expected idHash values are a test hub's. */
    static final String HMAC_KEY = "test-hmac-key-0123456789abcdef";
    /** A resident ID in clear (18 digits, or 15 not after a mask): no mapper may put one in its reason. */
    private static final Pattern CLEAR_ID = Pattern.compile("[0-9]{17}[0-9Xx]|(?<![0-9*])[0-9]{15}(?![0-9])");
    private static final ObjectMapper JSON = CanonicalJson.mapper();
    private static final Set<String> EXPECTED_MEMBERS = Set.of("records", "quarantined");
    private static final Set<String> ENTRY_MEMBERS = Set.of("sourceKey", "field", "reason", "reasonContains");

    private final Map<String, SourceMapper> mappers = registeredMappers();

    @TestFactory
    Stream<DynamicNode> everyCaseOfEveryAdapter() throws IOException {
        List<Path> adapters = folders(TEST_DATA);
        assertThat(adapters).as("adapters under " + TEST_DATA.toAbsolutePath()).isNotEmpty();
        List<DynamicNode> nodes = new ArrayList<>();
        for (Path data : adapters) {
            String id = data.getFileName().toString();
            List<DynamicNode> cases = new ArrayList<>();
            for (Path dir : folders(data)) {
                cases.add(DynamicTest.dynamicTest(id + "/" + dir.getFileName(), dir.toUri(), () -> check(id, dir)));
            }
            nodes.add(DynamicContainer.dynamicContainer(id, data.toUri(), cases.stream()));
        }
        return nodes.stream();
    }

    private void check(String id, Path dir) throws Exception {
        SourceMapper mapper = mappers.get(id);
        assertThat(mapper).as("a registered SourceMapper (@Component) whose adapterId() is " + id).isNotNull();
        GoldenReader reader = reader(ADAPTERS.resolve(id), id);
        OffsetDateTime fetchedAt = OffsetDateTime.now(CanonicalTime.BEIJING).truncatedTo(ChronoUnit.MILLIS);
        ObjectNode actual = run(dir, reader, mapper, fetchedAt);
        Path expected = dir.resolve("expected.json");
        Path out = Path.of("target", "golden", id, dir.getFileName().toString(), "actual.json");
        if (!Files.exists(expected)) {
            write(out, actual, fetchedAt);
            throw new AssertionError("no expected.json in " + dir + "; what the adapter gives is in " + out
                    + " (review it before it becomes expected.json)");
        }
        try {
            assertMatches(JSON.readTree(expected.toFile()), actual, fetchedAt);
        } catch (AssertionError e) {
            write(out, actual, fetchedAt);
            throw new AssertionError(dir + " (what it gave: " + out + "): " + e.getMessage(), e);
        }
    }

    /**
     * What the adapter makes of one case: {@code records} (each as CanonicalJson writes it) and
     * {@code quarantined}, in reading order.
     */
    static ObjectNode run(Path dir, GoldenReader reader, SourceMapper mapper, OffsetDateTime fetchedAt)
            throws Exception {
        Normaliser normaliser = new Normaliser(new MapperRegistry(List.of(mapper)), null,
                new HubProperties("370700", null, new HubProperties.PersonalData(HMAC_KEY), null, null, null));
        ObjectNode actual = JSON.createObjectNode();
        ArrayNode records = actual.putArray("records");
        ArrayNode quarantined = actual.putArray("quarantined");
        reader.read(dir, fetchedAt, new GoldenReader.Sink() {
            @Override
            public void item(SourceItem item) {
                CanonicalRecord r;
                try {
                    r = normaliser.mapOne(item);
                } catch (InvalidSourceException e) {
                    assertThat(CLEAR_ID.matcher(e.getMessage()).find())
                            .as("a resident ID in clear in the reason for " + item + ": " + e.getMessage()).isFalse();
                    problem(item.sourceKey(), e.violations().get(0).field(), e.getMessage());
                    return;
                }
                records.add(JSON.valueToTree(r));
            }

            @Override
            public void problem(String sourceKey, String field, String reason) {
                // As the quarantine stores it: the reason masked (Normaliser, and the adapters' own quarantining).
                quarantined.addObject().put("sourceKey", sourceKey).put("field", field)
                        .put("reason", ResidentIds.maskAll(reason));
            }
        });
        return actual;
    }

    /** Holds {@code actual} (from {@link #run}) to {@code expected} as the class comment says. */
    static void assertMatches(JsonNode expected, ObjectNode actual, OffsetDateTime fetchedAt) {
        assertThat(names(expected)).as("the members of expected.json").isEqualTo(EXPECTED_MEMBERS);
        JsonNode want = expected.get("records");
        ArrayNode got = actual.get("records").deepCopy();
        for (int i = 0; i < Math.min(want.size(), got.size()); i++) {
            if (!want.get(i).path("source").has("fetchedAt")) {
                ObjectNode source = (ObjectNode) got.get(i).get("source");
                assertEquals(CanonicalTime.format(fetchedAt), source.path("fetchedAt").asText(),
                        "source.fetchedAt of record " + i + " (left out of expected.json: the hub's read time)");
                source.remove("fetchedAt");
            }
        }
        assertEquals(want.toPrettyString(), got.toPrettyString(), "records");

        JsonNode wantQ = expected.get("quarantined");
        JsonNode gotQ = actual.get("quarantined");
        assertEquals(wantQ.size(), gotQ.size(), "quarantined items: " + gotQ.toPrettyString());
        for (int i = 0; i < wantQ.size(); i++) {
            JsonNode w = wantQ.get(i);
            JsonNode g = gotQ.get(i);
            String where = "quarantined[" + i + "] " + g;
            assertThat(names(w)).as("members of expected quarantined[%d]", i).isSubsetOf(ENTRY_MEMBERS)
                    .contains("sourceKey", "field");
            assertThat(w.has("reason") != w.has("reasonContains"))
                    .as("expected quarantined[%d] has one of reason and reasonContains", i).isTrue();
            assertEquals(w.get("sourceKey"), g.get("sourceKey"), "sourceKey of " + where);
            assertEquals(w.get("field").asText(), g.get("field").asText(), "field of " + where);
            if (w.has("reason")) {
                assertEquals(w.get("reason").asText(), g.get("reason").asText(), "reason of " + where);
            } else {
                assertThat(g.get("reason").asText()).as("reason of " + where).contains(w.get("reasonContains").asText());
            }
        }
    }

    /**
     * The reader {@code adapters/<id>/test/golden.properties} names: {@code reader=json-page} (see
     * {@link JsonPageReader}) or the class name of a {@link GoldenReader} of that folder.
     */
    static GoldenReader reader(Path adapterDir, String id) throws Exception {
        Path declared = adapterDir.resolve("test").resolve("golden.properties");
        assertThat(declared).as("how the golden test reads " + id + "'s inputs").exists();
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(declared, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        String name = p.getProperty("reader", "").trim();
        if (JsonPageReader.KIND.equals(name)) {
            return new JsonPageReader(id, p);
        }
        assertThat(name).as("reader= in " + declared + ": json-page or a GoldenReader class").isNotEmpty();
        Constructor<?> c = Class.forName(name).getDeclaredConstructor();
        c.setAccessible(true);
        return (GoldenReader) c.newInstance();
    }

    /** Every SourceMapper the hub registers (its @Component classes under yingyan.adapters), by adapter id. */
    static Map<String, SourceMapper> registeredMappers() {
        ClassPathScanningCandidateComponentProvider scan = new ClassPathScanningCandidateComponentProvider(false);
        scan.addIncludeFilter(new AssignableTypeFilter(SourceMapper.class));
        Map<String, SourceMapper> out = new HashMap<>();
        for (BeanDefinition bean : scan.findCandidateComponents("yingyan.adapters")) {
            try {
                Class<?> type = Class.forName(bean.getBeanClassName());
                if (!type.isAnnotationPresent(Component.class)) {
                    continue;
                }
                Constructor<?> c = type.getDeclaredConstructor();
                c.setAccessible(true);
                SourceMapper m = (SourceMapper) c.newInstance();
                SourceMapper before = out.put(m.adapterId(), m);
                assertThat(before).as("two mappers for " + m.adapterId()).isNull();
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("cannot make " + bean.getBeanClassName() + " with no arguments", e);
            }
        }
        return out;
    }

    /** {@code actual} in the form of expected.json: fetchedAt left out where it is the read time. */
    private static void write(Path out, ObjectNode actual, OffsetDateTime fetchedAt) throws IOException {
        ObjectNode copy = actual.deepCopy();
        copy.get("records").forEach(r -> {
            if (CanonicalTime.format(fetchedAt).equals(r.path("source").path("fetchedAt").asText())) {
                ((ObjectNode) r.get("source")).remove("fetchedAt");
            }
        });
        Files.createDirectories(out.getParent());
        Files.writeString(out, copy.toPrettyString() + "\n");
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new java.util.TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<Path> folders(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }
}
