package yingyan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The contracts the code cites are in this repository (docs/contracts/, schemas/): no comment, description or
 * README points at the shared spec, which the repository does not hold, and every docs/contracts page or
 * relative link that is cited exists.
 */
class ContractReferencesTest {
    static final List<Path> SCANNED = List.of(Path.of("src"), Path.of("adapters"), Path.of("conf"), Path.of("routes"),
            Path.of("schemas"), Path.of("docs"));
    static final Set<String> TEXT = Set.of("java", "yaml", "yml", "sql", "md", "tmpl", "json", "xsd", "xml", "sh",
            "properties", "js", "html");
    /** A Flyway migration that has run is checksummed: its comment stays as it was written. */
    static final Set<Path> FROZEN = Set.of(Path.of("src/main/resources/db/migration/V3__province.sql"));
    static final Pattern SHARED_SPEC = Pattern.compile("(?<![\\w/.-])(?:/work/shared/|shared/)?spec/[\\w./-]*\\.md"
            + "|spec departments/|\\(shared spec\\)");
    /** Outside docs/ (where pages link each other relatively) a bare departments/x.md meant the shared spec. */
    static final Pattern BARE_DEPARTMENT = Pattern.compile("(?<![\\w/-])departments/[a-z-]+\\.md");
    /** This file names what it forbids. */
    static final Path SELF = Path.of("src/test/java/yingyan/ContractReferencesTest.java");
    static final Pattern CONTRACT_PAGE = Pattern.compile("docs/contracts/[\\w./-]*\\.md");
    static final Pattern MARKDOWN_LINK = Pattern.compile("\\]\\(([^)#\\s]+)(?:#[^)]*)?\\)");

    static List<Path> files() {
        List<Path> out = new ArrayList<>();
        for (Path root : SCANNED) {
            try (Stream<Path> s = Files.walk(root)) {
                s.filter(Files::isRegularFile).filter(p -> TEXT.contains(extension(p))).forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    @Test
    void nothingCitesTheSharedSpec() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path f : files()) {
            if (FROZEN.contains(f) || SELF.equals(f)) {
                continue;
            }
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = SHARED_SPEC.matcher(lines.get(i));
                while (m.find()) {
                    found.add(f + ":" + (i + 1) + " " + m.group());
                }
                Matcher bare = BARE_DEPARTMENT.matcher(lines.get(i));
                while (!f.startsWith("docs") && bare.find()) {
                    found.add(f + ":" + (i + 1) + " " + bare.group());
                }
            }
        }
        assertThat(found).as("cite docs/contracts/ instead").isEmpty();
    }

    @Test
    void everyCitedContractPageExists() throws IOException {
        List<String> missing = new ArrayList<>();
        int cited = 0;
        for (Path f : files()) {
            Matcher m = CONTRACT_PAGE.matcher(Files.readString(f, StandardCharsets.UTF_8));
            while (m.find()) {
                cited++;
                // adapters/_template names the page a new adapter's author writes (docs/contracts/departments/__id__.md)
                if (!m.group().contains("__") && !Files.isRegularFile(Path.of(m.group()))) {
                    missing.add(f + ": " + m.group());
                }
            }
        }
        assertThat(cited).isGreaterThan(20);
        assertThat(missing).isEmpty();
    }

    /** Relative links of the contract pages and the schema READMEs lead to files of the repository. */
    @Test
    void relativeLinksOfTheContractsResolve() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path f : files()) {
            if (!f.toString().endsWith(".md") || !(f.startsWith("docs") || f.startsWith("schemas")
                    || f.startsWith("adapters"))) {
                continue;
            }
            // Inline code is not a link, even where it looks like one (a regular expression such as [.](11|12)).
            String text = Files.readString(f, StandardCharsets.UTF_8).replaceAll("`[^`\n]*`", "");
            Matcher m = MARKDOWN_LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.contains("://") || target.startsWith("mailto:")) {
                    continue;
                }
                if (!Files.exists(f.getParent().resolve(target).normalize())) {
                    broken.add(f + ": " + target);
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void theFrozenMigrationIsStillThere() {
        // If V3 is ever renamed, FROZEN must follow it, or the exception above hides nothing.
        assertThat(FROZEN).allMatch(Files::isRegularFile);
    }

    private static String extension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1);
    }
}
