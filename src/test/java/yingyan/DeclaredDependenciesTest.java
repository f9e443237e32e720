package yingyan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The pom declares what the hub uses and nothing more: a Camel starter is there only with the evidence of its
 * use (a component can be used from a route URI alone, so imports are not enough evidence either way), the
 * JDBC drivers the code never names are runtime-only, and a library the tests import is declared for them
 * rather than borrowed from a starter's transitive dependencies.
 */
class DeclaredDependenciesTest {
    /**
     * Why each Camel starter is here: the pattern that shows its use in routes/, adapters/ or src/main. A new
     * starter needs a row (and its use), a starter whose use went away fails its row.
     */
    private static final Map<String, Pattern> CAMEL_STARTERS = new LinkedHashMap<>();

    static {
        CAMEL_STARTERS.put("camel-spring-boot-starter", Pattern.compile("org\\.apache\\.camel\\.CamelContext"));
        CAMEL_STARTERS.put("camel-jms-starter", Pattern.compile("uri: \"jms:"));
        CAMEL_STARTERS.put("camel-timer-starter", Pattern.compile("uri: \"timer:"));
        CAMEL_STARTERS.put("camel-bean-starter", Pattern.compile("- bean:"));
        CAMEL_STARTERS.put("camel-yaml-dsl-starter", Pattern.compile("routes-include-pattern: classpath:routes/\\*\\.yaml"));
        CAMEL_STARTERS.put("camel-file-starter", Pattern.compile("\"file:"));
        CAMEL_STARTERS.put("camel-ftp-starter", Pattern.compile("from(DropFolder)?\\(sftp"));
        CAMEL_STARTERS.put("camel-spring-rabbitmq-starter", Pattern.compile("\"spring-rabbitmq:"));
        // Route metrics in /actuator/prometheus (camel_exchanges_total: MetricsContractTest, the Grafana board).
        CAMEL_STARTERS.put("camel-micrometer-starter", Pattern.compile("camel_exchanges_total"));
        // Camel's JMX route MBeans for operators; configuration only, nothing in code or routes names it.
        CAMEL_STARTERS.put("camel-management-starter", Pattern.compile(""));
    }

    private static final List<Element> dependencies = new ArrayList<>();
    /** What the hub is made of: routes, adapters, main code and configuration. */
    private static String hub;
    private static String tests;

    @BeforeAll
    static void readPomAndSources() throws Exception {
        NodeList deps = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile())
                .getDocumentElement().getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            // Only the project's own dependencies, not the BOM import under dependencyManagement.
            if ("dependencies".equals(d.getParentNode().getNodeName())
                    && "project".equals(d.getParentNode().getParentNode().getNodeName())) {
                dependencies.add(d);
            }
        }
        hub = readAll("routes", "adapters", "src/main", "conf");
        tests = readAll("src/test/java");
    }

    private static String readAll(String... dirs) throws IOException {
        StringBuilder all = new StringBuilder();
        for (String dir : dirs) {
            try (Stream<Path> files = Files.walk(Path.of(dir))) {
                files.filter(Files::isRegularFile).filter(p -> p.toString().matches(".*\\.(java|yaml|json)"))
                        .forEach(p -> all.append(read(p)).append('\n'));
            }
        }
        return all.toString();
    }

    @Test
    void everyCamelStarterIsUsed() {
        List<String> unexplained = new ArrayList<>();
        for (Element d : dependencies) {
            String artifact = text(d, "artifactId");
            if (artifact.startsWith("camel-")) {
                Pattern use = CAMEL_STARTERS.get(artifact);
                if (use == null || !use.matcher(hub).find()) {
                    unexplained.add(artifact);
                }
            }
        }
        assertThat(unexplained).as("Camel starters declared but used by no route, URI or code").isEmpty();
    }

    @Test
    void testOnlyLibrariesAreNotOnTheHubsClasspath() {
        assertThat(scopeOf("spring-security-test")).as("spring-security-test (no test imports it)").isNull();
        assertThat(scopeOf("camel-test-spring-junit5")).as("camel-test-spring-junit5 (no test imports it)").isNull();
    }

    @Test
    void theMariaDbDriverIsRuntimeOnly() {
        // The housing-fund adapter reaches MariaDB by JDBC URL only; code that imports the driver's API fails to
        // compile with runtime scope, which is the point.
        assertThat(scopeOf("mariadb-java-client")).isEqualTo("runtime");
    }

    @Test
    void commonsCsvIsDeclaredForTheTestsThatImportIt() {
        assertThat(tests).contains("import org.apache.commons.csv.");
        assertThat(scopeOf("commons-csv")).isEqualTo("test");
    }

    /** The declared scope, "compile" when none is given, null when the artifact is not declared. */
    private static String scopeOf(String artifact) {
        return dependencies.stream().filter(d -> artifact.equals(text(d, "artifactId"))).findFirst()
                .map(d -> text(d, "scope") == null ? "compile" : text(d, "scope")).orElse(null);
    }

    private static String text(Element e, String tag) {
        NodeList n = e.getElementsByTagName(tag);
        return n.getLength() == 0 ? null : n.item(0).getTextContent().trim();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
