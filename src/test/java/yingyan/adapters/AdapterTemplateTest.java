package yingyan.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.RecordValidator;
import yingyan.canonical.ResidentIdProtector;
import yingyan.spi.MappingContext;
import yingyan.spi.SourceItem;
import yingyan.spi.SourceMapper;

/**
 * The recipe works: adapters/_template/new-adapter.sh creates an adapter whose Java compiles against
 * the hub as it is now, and whose mapper turns the example input into a valid canonical record.
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
        assertThat(dir.resolve("README.md")).exists();
        assertThat(root.resolve("test-data/dept-x/example/input.json")).exists();
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
            byte[] raw = Files.readAllBytes(root.resolve("test-data/dept-x/example/input.json"));
            CanonicalRecord r = mapper.map(SourceItem.utf8("dept-x", "EX-0001", raw, "example", OffsetDateTime.now()),
                    new MappingContext(new ResidentIdProtector("template-test-key-0123456789")));
            assertThat(RecordValidator.check(r)).isEmpty();
            assertThat(r.recordId()).isEqualTo("dept-x:EX-0001");
        }
    }

    private static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null ? cp : System.getProperty("java.class.path");
    }

}
