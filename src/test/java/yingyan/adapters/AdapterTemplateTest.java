package yingyan.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.CanonicalTime;
import yingyan.canonical.RecordValidator;
import yingyan.spi.SourceMapper;

/**
 * The recipe works: adapters/_template/new-adapter.sh creates an adapter whose Java compiles against
 * the hub as it is now, whose mapper turns the example input into a valid canonical record, and whose
 * example golden case passes {@link GoldenCasesTest} as generated (its test/golden.properties, no Java).
 */
class AdapterTemplateTest {

    @Test
    void newAdapterScriptCreatesACompilingAdapterWithAWorkingMapper(@TempDir Path root) throws Exception {
        Path template = root.resolve("adapters/_template");
        Files.createDirectories(template);
        try (Stream<Path> files = Files.list(Path.of("adapters/_template"))) {
            for (Path f : files.toList()) {
                Files.copy(f, template.resolve(f.getFileName()));
            }
        }
        Process p = new ProcessBuilder("bash", template.resolve("new-adapter.sh").toString(), "dept-x", "DeptX")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("dept-x:");

        Path dir = root.resolve("adapters/dept-x");
        Path example = root.resolve("test-data/dept-x/example");
        assertThat(dir.resolve("README.md")).exists();
        assertThat(dir.resolve("test/golden.properties")).exists();
        assertThat(example.resolve("input.json")).exists();
        List<String> sources = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> sources.add(f.toString()));
        }
        assertThat(sources).hasSize(4);

        Path classes = Files.createDirectories(root.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", classPath(), "-proc:none"));
        args.addAll(sources);
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int rc = javac.run(null, err, err, args.toArray(String[]::new));
        assertThat(rc).as(err.toString(StandardCharsets.UTF_8)).isZero();

        try (URLClassLoader loader = new URLClassLoader(new URL[]{classes.toUri().toURL()},
                getClass().getClassLoader())) {
            SourceMapper mapper = (SourceMapper) loader.loadClass("yingyan.adapters.deptx.DeptXMapper")
                    .getDeclaredConstructor().newInstance();
            assertThat(mapper.adapterId()).isEqualTo("dept-x");
            OffsetDateTime fetchedAt = OffsetDateTime.now(CanonicalTime.BEIJING).truncatedTo(ChronoUnit.MILLIS);
            ObjectNode actual = GoldenCasesTest.run(example, GoldenCasesTest.reader(dir, "dept-x"), mapper, fetchedAt);
            assertThat(actual.get("records")).as("the example's records: " + actual).hasSize(1);
            CanonicalRecord r = CanonicalJson.read(actual.get("records").get(0).toString());
            assertThat(RecordValidator.check(r)).isEmpty();
            assertThat(r.recordId()).isEqualTo("dept-x:EX-0001");
            GoldenCasesTest.assertMatches(CanonicalJson.mapper().readTree(example.resolve("expected.json").toFile()),
                    actual, fetchedAt);
        }
    }

    private static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null ? cp : System.getProperty("java.class.path");
    }

}
