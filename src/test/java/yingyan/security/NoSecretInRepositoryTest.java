package yingyan.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nothing secret is committed: every tracked file ({@code git ls-files}) is read for secret-shaped values.
 * <ul>
 * <li>everywhere: PEM private keys, and credentials written into a URL (a password between the user name and
 * the host);
 * <li>configuration files (yaml, properties, xml, env, shell): a password/secret/key/token setting with a
 * literal value — allowed are only an environment placeholder without default or with a {@code demo-only-…}
 * default ({@code ${YINGYAN_X:demo-only-…}}, refused outside the demo profile by SecretGuard);
 * <li>the hub's own code and docs (not src/test, an adapter's test/ folder, test-data or the template's
 * example data, whose hashes and fake credentials are deliberate): a secret-named Java variable set to a string literal, and long hex or base64 runs (keys).
 * </ul>
 * Deliberate exceptions are listed in {@link #ALLOWED} with the reason.
 */
class NoSecretInRepositoryTest {
    /** An adapter's tests ({@code adapters/<id>/test/}) and the template's example case, like src/test and test-data. */
    private static final Pattern ADAPTER_TEST_FILES =
            Pattern.compile("adapters/[^/]+/test/.*|adapters/_template/example-[^/]+\\.json");
    private static final Logger log = LoggerFactory.getLogger(NoSecretInRepositoryTest.class);

    /** path → the exact value allowed there, and why. */
    static final Map<String, Map<String, String>> ALLOWED = Map.of(
            "conf/application.yaml", Map.of("${YINGYAN_OPERATOR_PASSWORD:demo}",
                    "the quick start's documented demo/demo login; SecretGuard refuses 'demo' outside the demo profile"),
            "conf/application-demo.yaml", Map.of("${YINGYAN_OPERATOR_PASSWORD:demo}",
                    "the same demo/demo login, given SUPERVISOR too in the quick start (a profile's list replaces the"
                            + " whole list)"),
            "src/test/resources/application-test.yaml", Map.of("*",
                    "the test profile's deliberately fake credentials, used by tests only"),
            "schemas/province/v1/README.md", Map.of(
                    "90f96d47e3bc41bfcf1cddfac27c76343308c945ab27908608aee1fb29b8f571",
                    "a signature, not a key: the worked example's X-Signature made with the quick start's public"
                            + " demo secret (ProvinceSchemaAgreementTest recomputes it)"));

    private static final Pattern PEM_PRIVATE_KEY = Pattern.compile("-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY-----");
    private static final Pattern URL_CREDENTIAL =
            Pattern.compile("\\b[a-z][a-z0-9+.-]*://[^/\\s:@'\"<>]+:([^/\\s@'\"<>]+)@");
    private static final Pattern CONFIG_SECRET = Pattern.compile("(?i)^\\s*-?\\s*[\"']?([\\w.\\[\\]-]*?"
            + "(password|passwd|pwd|secret|api-?key|apikey|access-?key|private-?key|hmac-?key|token|credentials?)"
            + "|key)[\"']?\\s*[:=]\\s*(.*?)\\s*$");
    private static final Pattern XML_SECRET =
            Pattern.compile("(?i)<(\\w*(?:password|secret|token|apikey|api-key))>([^<]+)</");
    /** ${ENV}, ${ENV:}, ${ENV:demo-only-…}, or a reference to another setting. */
    private static final Pattern SAFE_VALUE = Pattern.compile(
            "[\"']?\\$\\{([A-Z][A-Z0-9_]*(:(demo-only[^}\\s]*)?)?|[a-z][\\w.-]*)}[\"']?|[\"']{2}|\\||>");
    private static final Pattern JAVA_SECRET_LITERAL = Pattern.compile(
            "(?i)\\b\\w*(password|passwd|secret|apikey|api_key|hmackey|token)\\w*\\s*=\\s*\"([^\"]{4,})\"");
    private static final Pattern LONG_HEX = Pattern.compile("(?<![0-9A-Za-z])[0-9a-fA-F]{32,}(?![0-9A-Za-z])");
    private static final Pattern LONG_BASE64 =
            Pattern.compile("(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{40,}={0,2}(?![A-Za-z0-9+/=_-])");
    private static final Set<String> CONFIG_SUFFIXES = Set.of(".yaml", ".yml", ".properties", ".env", ".conf",
            ".xml", ".sh", ".tmpl");

    /** One secret-shaped value: where, and which rule (the value itself is not repeated into the report). */
    record Finding(String path, int line, String rule) {
        @Override
        public String toString() {
            return path + ":" + line + " " + rule;
        }
    }

    @Test
    void noTrackedFileHoldsASecret() throws Exception {
        List<String> files = trackedFiles();
        assertThat(files).as("tracked files").contains("conf/application.yaml", "pom.xml", "README.md");
        List<Finding> findings = new ArrayList<>();
        int scanned = 0;
        for (String f : files) {
            Path p = Path.of(f);
            if (!Files.isRegularFile(p) || Files.size(p) > 5_000_000) {
                continue;
            }
            byte[] bytes = Files.readAllBytes(p);
            if (binary(bytes)) {
                continue;
            }
            scanned++;
            findings.addAll(scan(f, new String(bytes, StandardCharsets.UTF_8)));
        }
        assertThat(findings).as("secret-shaped values in tracked files").isEmpty();
        log.info("secret scan: {} tracked text files scanned, {} secret-shaped values", scanned, findings.size());
    }

    @Test
    void theRulesCatchPlantedSecretsAndLetPlaceholdersThrough() {
        assertThat(scan("conf/application.yaml", """
                hub:
                  quarantine:
                    key: ${YINGYAN_QUARANTINE_KEY:demo-only-quarantine-key}
                    password: ${YINGYAN_X:}
                    secret: ${YINGYAN_Y}
                    region: ${hub.region}
                    sftp-strict-host-key-checking: true
                """)).isEmpty();
        assertThat(scan("conf/application-prod.yaml", "    password: Winter2026!\n")).extracting(Finding::rule)
                .containsExactly("literal value for 'password'");
        assertThat(scan("conf/application-prod.yaml", "  api-key: ${YINGYAN_K:k-7f3a9c}\n")).hasSize(1);
        assertThat(scan("conf/application.yaml", "      password: ${YINGYAN_OPERATOR_PASSWORD:demo}\n"))
                .as("allowed in conf/application.yaml only").isEmpty();
        assertThat(scan("conf/application-prod.yaml", "      password: ${YINGYAN_OPERATOR_PASSWORD:demo}\n"))
                .hasSize(1);
        assertThat(scan("src/main/resources/application.properties", "hub.province.secret=s3cr3t\n")).hasSize(1);
        assertThat(scan("pom.xml", "<password>hunter22</password>")).hasSize(1);
        assertThat(scan("pom.xml", "<password>${env.PASSWORD}</password>")).isEmpty();
        assertThat(scan("test-data/x/id_rsa.txt", "-----BEGIN OPENSSH " + "PRIVATE KEY-----\nb3Blbn\n")).hasSize(1);
        assertThat(scan("adapters/x/README.md", "sftp://hub:" + "Passw0rd@sftp.example:22/in")).hasSize(1);
        assertThat(scan("adapters/x/README.md", "sftp://hub@sftp.example:22/in")).isEmpty();
        assertThat(scan("src/main/java/yingyan/X.java", "    private String apiKey = \"k-7f3a9c-real\";")).hasSize(1);
        assertThat(scan("src/main/java/yingyan/X.java", "    static final String PASSWORD_ENV = \"YINGYAN_CLI_PASSWORD\";"))
                .as("the name of the variable holding it").isEmpty();
        assertThat(scan("src/test/java/yingyan/XTest.java", "    String apiKey = \"test-key\";"))
                .as("fake test credentials in test code").isEmpty();
        assertThat(scan("src/main/java/yingyan/X.java", "KEY = \"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822c\""))
                .isNotEmpty();
        assertThat(scan("README.md", "token AKIAxY7dGq2Lm9Pz0Rt5Vw8sB3nK6cJ1hF4eU2oWq9 here")).hasSize(1);
        assertThat(scan("src/main/java/yingyan/X.java",
                "import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;"))
                .as("a long type name is no key").isEmpty();
        assertThat(scan("test-data/a/expected.json", "\"idHash\": \"3aa7aebba01ec38efdf96b2c8d34bc8ed8ab0c7a\""))
                .as("hashes in golden files are not keys").isEmpty();
        assertThat(scan("src/main/resources/db/migration/V5__audit.sql", "'" + "0".repeat(64) + "'"))
                .as("a run of one character is no key").isEmpty();
    }

    static List<Finding> scan(String path, String text) {
        List<Finding> out = new ArrayList<>();
        boolean config = CONFIG_SUFFIXES.stream().anyMatch(path::endsWith);
        boolean ours = !path.startsWith("src/test/") && !path.startsWith("test-data/")
                && !ADAPTER_TEST_FILES.matcher(path).matches();
        Map<String, String> allowed = ALLOWED.getOrDefault(path, Map.of());
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int n = i + 1;
            if (PEM_PRIVATE_KEY.matcher(line).find()) {
                out.add(new Finding(path, n, "PEM private key"));
            }
            Matcher url = URL_CREDENTIAL.matcher(line);
            while (url.find()) {
                if (!url.group(1).startsWith("${") && !allowed.containsKey("*")) {
                    out.add(new Finding(path, n, "credentials in a URL"));
                }
            }
            if (config) {
                Matcher m = CONFIG_SECRET.matcher(line);
                if (m.matches() && !m.group(3).isEmpty() && !SAFE_VALUE.matcher(m.group(3)).matches()
                        && !allowed.containsKey(m.group(3)) && !allowed.containsKey("*")) {
                    out.add(new Finding(path, n, "literal value for '" + m.group(1) + "'"));
                }
                Matcher x = XML_SECRET.matcher(line);
                while (x.find()) {
                    if (!x.group(2).startsWith("${") && !allowed.containsKey("*")) {
                        out.add(new Finding(path, n, "literal <" + x.group(1) + ">"));
                    }
                }
            }
            if (ours) {
                Matcher j = JAVA_SECRET_LITERAL.matcher(line);
                while (j.find()) {
                    // an environment variable's name (PASSWORD_ENV = "YINGYAN_CLI_PASSWORD") is not its value
                    if (path.endsWith(".java") && !j.group(2).startsWith("demo-only")
                            && !j.group(2).matches("[A-Z][A-Z0-9_]*")) {
                        out.add(new Finding(path, n, "string literal assigned to a secret-named variable"));
                    }
                }
                for (Pattern p : List.of(LONG_HEX, LONG_BASE64)) {
                    Matcher k = p.matcher(line);
                    while (k.find()) {
                        if (keyLike(k.group()) && !allowed.containsKey(k.group())) {
                            out.add(new Finding(path, n, "long " + (p == LONG_HEX ? "hex" : "base64") + " value"));
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * A long Java type or test name ({@code OAuth2AccessTokenResponseHttpMessageConverter},
     * {@code a401OnAFreshTokenIsACredentialFailureNotALoop}): letters and at most two runs of digits (a number such
     * as an HTTP status is one run), in CamelCase words of four characters on average. A random key has digits
     * scattered all through it and shorter runs.
     */
    private static boolean camelCaseName(String s) {
        long digitRuns = Arrays.stream(s.split("[^0-9]+")).filter(r -> !r.isEmpty()).count();
        if (!s.matches("[A-Za-z][A-Za-z0-9]*") || digitRuns > 2) {
            return false;
        }
        String[] words = s.split("(?<=[a-z0-9])(?=[A-Z])");
        return (double) s.length() / words.length >= 4;
    }

    /** Mixed enough to be a key: not a run of one character; base64 needs upper, lower and digits. */
    private static boolean keyLike(String s) {
        if (s.chars().distinct().count() < 8 || camelCaseName(s)) {
            return false;
        }
        if (s.matches("[0-9a-fA-F]+")) {
            return true;
        }
        return s.matches(".*[A-Z].*") && s.matches(".*[a-z].*") && s.matches(".*[0-9].*");
    }

    private static boolean binary(byte[] bytes) {
        for (int i = 0; i < Math.min(bytes.length, 8000); i++) {
            if (bytes[i] == 0) {
                return true;
            }
        }
        return false;
    }

    /** git ls-files from the project root; without git (a source archive) every file but build output. */
    private static List<String> trackedFiles() throws IOException, InterruptedException {
        try {
            Process git = new ProcessBuilder("git", "ls-files", "-z").redirectErrorStream(false).start();
            byte[] out = git.getInputStream().readAllBytes();
            if (git.waitFor(60, TimeUnit.SECONDS) && git.exitValue() == 0 && out.length > 0) {
                return List.of(new String(out, StandardCharsets.UTF_8).split("\0"));
            }
        } catch (IOException e) {
            log.warn("git not available ({}); scanning the working tree instead", e.getMessage());
        }
        try (Stream<Path> all = Files.walk(Path.of("."))) {
            return all.filter(Files::isRegularFile).map(p -> Path.of(".").relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !p.startsWith("target/") && !p.startsWith("data/") && !p.startsWith(".git/")
                            && !p.startsWith(".idea/"))
                    .toList();
        }
    }
}
