package yingyan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;
import org.w3c.dom.Document;

/**
 * The image (packaging/Dockerfile) and the service (packaging/yingyan-hub.service) run the jar the build makes
 * under the prod profile on the hub's port, and the environment template they read (packaging/hub.env.example)
 * names every variable conf/ reads, with each secret the hub refuses to start without left to be filled in and
 * no value committed. Docker and systemd are not on the build machine: this holds the files to the build.
 */
class PackagingTest {
    private static final Path DOCKERFILE = Path.of("packaging/Dockerfile");
    private static final Path UNIT = Path.of("packaging/yingyan-hub.service");
    private static final Path ENV = Path.of("packaging/hub.env.example");
    /** ${YINGYAN_X:default} in conf/. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(YINGYAN_[A-Z0-9_]+):([^}]*)}");

    private static String pom(String element) throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new File("pom.xml"));
        XPath x = XPathFactory.newInstance().newXPath();
        return x.evaluate("/*[local-name()='project']/*[local-name()='" + element + "']", pom);
    }

    private static String builtJar() throws Exception {
        return pom("artifactId") + "-" + pom("version") + ".jar";
    }

    private static String line(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting " + prefix));
    }

    @Test
    void theImageRunsTheBuiltJarUnderTheProdProfileOnTheHubsPort() throws Exception {
        List<String> lines = Files.readAllLines(DOCKERFILE);
        String[] copy = line(lines, "COPY ").split("\\s+");
        assertThat(FileSystems.getDefault().getPathMatcher("glob:" + copy[1]).matches(Path.of("target", builtJar())))
                .as("COPY %s takes the jar `mvn package` writes (%s)", copy[1], builtJar()).isTrue();
        assertThat(line(lines, "ENTRYPOINT ")).contains("\"-jar\", \"" + copy[2] + "\"");
        assertThat(String.join("\n", lines)).contains("SPRING_PROFILES_ACTIVE=prod");
        assertThat(line(lines, "EXPOSE ")).isEqualTo("EXPOSE " + hubPort());
        assertThat(line(lines, "USER ")).as("not root").isNotEqualTo("USER root");
        assertThat(Files.readAllLines(Path.of("packaging/Dockerfile.dockerignore"))).contains("!" + copy[1]);
    }

    @Test
    void theServiceRunsTheInstalledJarUnderTheProdProfileWithTheEnvironmentFile() throws Exception {
        List<String> lines = Files.readAllLines(UNIT);
        String exec = line(lines, "ExecStart=");
        Matcher jar = Pattern.compile("-jar (\\S+)").matcher(exec);
        assertThat(jar.find()).isTrue();
        assertThat(String.join("\n", lines)).as("the install step puts the built jar where ExecStart runs it")
                .contains("target/" + pom("artifactId") + "-<version>.jar " + jar.group(1));
        assertThat(lines).contains("Environment=SPRING_PROFILES_ACTIVE=prod", "SuccessExitStatus=143");
        String envFile = line(lines, "EnvironmentFile=").substring("EnvironmentFile=".length());
        assertThat(String.join("\n", lines)).contains("packaging/hub.env.example " + envFile);
        assertThat(line(lines, "User=")).isNotEqualTo("User=root");
    }

    /**
     * Every YINGYAN_ variable of conf/ is in the template; those whose conf/ default is a demo secret are
     * uncommented (to be filled in: the hub refuses to start with the demo value), except the adapter conf/
     * leaves off (hub-feed); no line carries a value for a secret.
     */
    @Test
    void theEnvironmentTemplateNamesEveryVariableAndEverySecretTheHubNeeds() throws IOException {
        Set<String> all = new TreeSet<>();
        Set<String> demoSecrets = new TreeSet<>();
        for (Path conf : List.of(Path.of("conf/application.yaml"), Path.of("conf/application-prod.yaml"))) {
            Matcher m = PLACEHOLDER.matcher(Files.readString(conf));
            while (m.find()) {
                all.add(m.group(1));
                if ((m.group(2).startsWith("demo-only") || m.group(2).equals("demo"))
                        && !m.group(1).startsWith("YINGYAN_HUB_FEED_")) {
                    demoSecrets.add(m.group(1));
                }
            }
        }
        assertThat(demoSecrets).contains("YINGYAN_ID_HMAC_KEY", "YINGYAN_QUARANTINE_KEY", "YINGYAN_OPERATOR_PASSWORD");
        List<String> template = Files.readAllLines(ENV);
        Set<String> named = new TreeSet<>();
        Set<String> toFill = new TreeSet<>();
        for (String l : template) {
            Matcher m = Pattern.compile("^(#?)(YINGYAN_[A-Z0-9_]+)=(.*)$").matcher(l);
            if (m.matches()) {
                named.add(m.group(2));
                if (m.group(1).isEmpty()) {
                    toFill.add(m.group(2));
                    assertThat(m.group(3)).as("%s: no value committed", m.group(2)).isEmpty();
                }
            }
        }
        assertThat(named).as("every variable conf/ reads").containsAll(all);
        assertThat(toFill).as("every secret the hub refuses to start without").containsAll(demoSecrets)
                .contains("YINGYAN_DB_URL", "YINGYAN_DB_PASSWORD", "YINGYAN_BROKER_URL");
    }

    /** server.port of conf/ (either file), or Boot's 8080. */
    private static String hubPort() throws IOException {
        for (String file : List.of("conf/application-prod.yaml", "conf/application.yaml")) {
            for (PropertySource<?> ps : new YamlPropertySourceLoader().load(file, new FileSystemResource(file))) {
                if (ps.getProperty("server.port") != null) {
                    return String.valueOf(ps.getProperty("server.port"));
                }
            }
        }
        return "8080";
    }
}
