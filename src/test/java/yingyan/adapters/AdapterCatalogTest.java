package yingyan.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.yaml.snakeyaml.Yaml;

/**
 * Every department adapter has all of its parts (after camel-kamelets' KameletsCatalogTest): its
 * folder with a README whose parameter table names every configured key, a test/golden.properties saying
 * how {@link GoldenCasesTest} reads its inputs, a test-data folder with at least one input/expected pair,
 * and one entry in conf/; and every adapter configured in conf/ has a folder. {@link AdapterWiringTest}
 * checks the running parts (route, mapper), {@link GoldenCasesTest} the pairs.
 */
class AdapterCatalogTest {
    private static final Path ADAPTERS = Path.of("adapters");
    private static final Path TEST_DATA = Path.of("test-data");
    private static final Path CONF = Path.of("conf/application.yaml");

    @TestFactory
    Stream<DynamicTest> everyAdapterFolderIsComplete() throws IOException {
        Map<String, Object> conf = adaptersInConf();
        return adapterFolders().stream().map(id -> DynamicTest.dynamicTest(id, () -> {
            Path dir = ADAPTERS.resolve(id);
            List<String> missing = new ArrayList<>();
            Path readme = dir.resolve("README.md");
            if (!Files.exists(readme)) {
                missing.add("README.md");
            } else {
                String text = read(readme);
                if (!text.matches("(?s).*\\n\\|[^\\n]*\\|\\s*\\n\\|\\s*-{3,}.*")) {
                    missing.add("a parameter table in README.md");
                }
                Object block = conf.get(id);
                if (block instanceof Map<?, ?> keys) {
                    for (Object key : keys.keySet()) {
                        if (!text.contains(key.toString())) {
                            missing.add("README row for hub.adapters." + id + "." + key);
                        }
                    }
                }
            }
            if (!conf.containsKey(id)) {
                missing.add("an entry hub.adapters." + id + " in conf/application.yaml");
            }
            if (!Files.exists(dir.resolve("test/golden.properties"))) {
                missing.add("test/golden.properties (how GoldenCasesTest reads test-data/" + id + "/)");
            }
            if (goldenPairs(id).isEmpty()) {
                missing.add("at least one test-data/" + id + "/<case>/ with input.* and expected.json");
            }
            assertThat(missing).as("adapters/%s is missing", id).isEmpty();
        }));
    }

    @Test
    void everyConfiguredAdapterHasAFolder() throws IOException {
        assertThat(adapterFolders()).containsAll(adaptersInConf().keySet());
    }

    @Test
    void theTemplateHasEveryPartANewDepartmentCopies() {
        Path t = ADAPTERS.resolve("_template");
        for (String part : List.of("new-adapter.sh", "README.md.tmpl", "Properties.java.tmpl", "Mapper.java.tmpl",
                "Source.java.tmpl", "Route.java.tmpl", "golden.properties.tmpl", "example-input.json",
                "example-expected.json")) {
            assertThat(t.resolve(part)).as("adapters/_template/" + part).exists();
        }
        assertThat(read(t.resolve("README.md.tmpl"))).contains("| key |");
    }

    static Set<String> adapterFolders() throws IOException {
        Set<String> ids = new TreeSet<>();
        try (Stream<Path> dirs = Files.list(ADAPTERS)) {
            dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("_")).forEach(ids::add);
        }
        return ids;
    }

    static List<Path> goldenPairs(String id) throws IOException {
        Path dir = TEST_DATA.resolve(id);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> cases = Files.list(dir)) {
            return cases.filter(Files::isDirectory).filter(c -> Files.exists(c.resolve("expected.json")))
                    .filter(c -> {
                        try (Stream<Path> f = Files.list(c)) {
                            return f.anyMatch(p -> p.getFileName().toString().startsWith("input"));
                        } catch (IOException e) {
                            return false;
                        }
                    }).toList();
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> adaptersInConf() throws IOException {
        try (InputStream in = Files.newInputStream(CONF)) {
            Map<String, Object> root = new Yaml().load(in);
            Map<String, Object> hub = (Map<String, Object>) root.get("hub");
            Object adapters = hub.get("adapters");
            return adapters == null ? Map.of() : (Map<String, Object>) adapters;
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
