package yingyan.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;
import org.springframework.mock.env.MockEnvironment;

/** Outside the demo profile the hub refuses to start with any demo secret. */
class SecretGuardTest {
    /** A conf/ value that is a placeholder whose default is a demo secret: ${ENV:demo-only-…}, or ${ENV:demo} for a password. */
    private static final Pattern DEMO_DEFAULT = Pattern.compile("\\$\\{[A-Z0-9_]+:(demo-only[^}]*|demo)}");

    private static HubProperties hub(String hmac, String qkey, String password) {
        return new HubProperties("370700", new HubProperties.Queues("q"), new HubProperties.PersonalData(hmac),
                new HubProperties.Quarantine(qkey), new HubProperties.Persist(1, 5, 4, java.time.Duration.ofSeconds(30)),
                new HubProperties.Security(List.of(new HubProperties.User("ops", password, List.of("OPERATOR")))));
    }

    @Test
    void prodWithDemoSecretsRefusesToStartAndNamesEachOne() {
        MockEnvironment env = new MockEnvironment().withProperty("hub.adapters.approvals.api-key",
                "demo-only-approvals-key");
        env.setActiveProfiles("prod");
        SecretGuard guard = new SecretGuard(hub("demo-only-id-hmac-key", "demo-only-q", "demo"), env);
        assertThatThrownBy(guard::afterPropertiesSet)
                .hasMessageContaining("hub.personal-data.hmac-key")
                .hasMessageContaining("hub.quarantine.key")
                .hasMessageContaining("hub.security.users[0].password (password of user 'ops')")
                .hasMessageContaining("hub.adapters.approvals.api-key")
                .hasMessageNotContaining("demo-only-id-hmac-key");
    }

    /** A retired quarantine key still decrypts entries: it is a secret like the current one. */
    @Test
    void aPreviousQuarantineKeyWithTheDemoValueOrTooShortIsRefusedByItsId() {
        MockEnvironment env = new MockEnvironment();
        env.setActiveProfiles("prod");
        HubProperties real = hub("a-real-hmac-key-from-env", "a-real-quarantine-key", "s3cret-Pw");
        HubProperties rotated = new HubProperties(real.region(), real.queues(), real.personalData(),
                new HubProperties.Quarantine("a-real-quarantine-key-2", 3,
                        java.util.Map.of(1, "demo-only-quarantine-key-change-me", 2, "short")),
                real.persist(), real.security());

        assertThatThrownBy(new SecretGuard(rotated, env)::afterPropertiesSet)
                .hasMessageContaining("hub.quarantine.previous-keys.1 (set YINGYAN_QUARANTINE_KEY_1)")
                .hasMessageContaining("hub.quarantine.previous-keys.2 (shorter than 16 characters)")
                .hasMessageNotContaining("hub.quarantine.key ")
                .hasMessageNotContaining("short,");
    }

    @Test
    void prodWithRealSecretsStarts() {
        MockEnvironment env = new MockEnvironment().withProperty("hub.adapters.approvals.api-key", "k-7f3a9c");
        env.setActiveProfiles("prod");
        assertThatCode(new SecretGuard(hub("a-real-hmac-key-from-env", "a-real-quarantine-key", "s3cret-Pw"), env)
                ::afterPropertiesSet).doesNotThrowAnyException();
    }

    @Test
    void aDisabledAdaptersDemoSecretDoesNotMatter() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("hub.adapters.approvals.api-key", "demo-only-approvals-key")
                .withProperty("hub.adapters.approvals.enabled", "false");
        env.setActiveProfiles("prod");
        assertThatCode(new SecretGuard(hub("a-real-hmac-key-from-env", "a-real-quarantine-key", "s3cret-Pw"), env)
                ::afterPropertiesSet).doesNotThrowAnyException();
    }

    @Test
    void demoProfileAcceptsDemoSecrets() {
        MockEnvironment env = new MockEnvironment();
        env.setActiveProfiles("demo");
        assertThatCode(new SecretGuard(hub("demo-only-id-hmac-key", "demo-only-q", "demo"), env)
                ::afterPropertiesSet).doesNotThrowAnyException();
    }

    /**
     * {@code java -jar} with no profile: the configuration the jar carries (conf/ through application.properties)
     * and nothing else. Such a start is not the quick start, so conf/'s demo secrets stop it.
     */
    @Test
    void aStartWithNoProfileRefusesTheDemoSecrets() {
        SpringApplicationBuilder noProfile = new SpringApplicationBuilder(GuardOnly.class)
                .web(WebApplicationType.NONE);
        assertThatThrownBy(() -> noProfile.run().close())
                .rootCause()
                .hasMessageContaining("Refusing to start outside the demo profile")
                .hasMessageContaining("hub.personal-data.hmac-key")
                .hasMessageContaining("hub.security.users[0].password");
    }

    @Test
    void demoTogetherWithProdIsNotTheDemo() {
        MockEnvironment env = new MockEnvironment();
        env.setActiveProfiles("prod", "demo");
        assertThatThrownBy(new SecretGuard(hub("demo-only-id-hmac-key", "demo-only-q", "demo"), env)
                ::afterPropertiesSet).hasMessageContaining("hub.personal-data.hmac-key");
    }

    /** The quick start names its profile: the same conf/ under {@code demo} starts with the demo secrets. */
    @Test
    void theDemoProfileNamedExplicitlyStillStarts() {
        SpringApplicationBuilder demo = new SpringApplicationBuilder(GuardOnly.class)
                .web(WebApplicationType.NONE).profiles("demo");
        assertThatCode(() -> {
            try (ConfigurableApplicationContext ctx = demo.run()) {
                assertThat(ctx.getEnvironment().getActiveProfiles()).containsExactly("demo");
            }
        }).doesNotThrowAnyException();
    }

    /** {@code mvn spring-boot:run} stays the quick start: the plugin's profile property says demo. */
    @Test
    void mvnSpringBootRunRunsTheDemoProfile() throws Exception {
        var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new File("pom.xml"));
        String profiles = XPathFactory.newInstance().newXPath()
                .evaluate("/*[local-name()='project']/*[local-name()='properties']"
                        + "/*[local-name()='spring-boot.run.profiles']", pom);
        assertThat(profiles).isEqualTo("demo");
    }

    /** The guard and the settings it reads, nothing else of the hub (no database, no broker). */
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(HubProperties.class)
    @Import(SecretGuard.class)
    static class GuardOnly {
    }

    @Test
    void aFeedConsumersPasswordThatIsDemoOrItsOwnNameIsRefusedLikeAPersonsIs() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("hub.feed.consumers[0].name", "province")
                .withProperty("hub.feed.consumers[0].password", "province")
                .withProperty("hub.feed.consumers[1].name", "shouguang")
                .withProperty("hub.feed.consumers[1].password", "demo")
                .withProperty("hub.feed.consumers[2].name", "qingzhou")
                .withProperty("hub.feed.consumers[2].password", "Qz-9f2c7e1a");
        env.setActiveProfiles("prod");
        assertThatThrownBy(new SecretGuard(hub("a-real-hmac-key-from-env", "a-real-quarantine-key", "s3cret-Pw"), env)
                ::afterPropertiesSet)
                .hasMessageContaining("hub.feed.consumers[0].password (password of 'province')")
                .hasMessageContaining("hub.feed.consumers[1].password (password of 'shouguang')")
                .hasMessageNotContaining("consumers[2]");
    }

    @Test
    void aDemoValueOutsideHubIsRefusedWhereItIsASecretAndAShortQuarantineKeyToo() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("spring.datasource.password", "demo-only-db-password")
                .withProperty("spring.application.name", "demo-only-is-not-a-secret-here");
        env.setActiveProfiles("prod");
        assertThatThrownBy(new SecretGuard(hub("a-real-hmac-key-from-env", "short-key", "s3cret-Pw"), env)
                ::afterPropertiesSet)
                .hasMessageContaining("spring.datasource.password")
                .hasMessageContaining("hub.quarantine.key (shorter than 16 characters)")
                .hasMessageNotContaining("spring.application.name");
    }

    /**
     * Every secret conf/application.yaml ships with a demo default — whatever its name, including ones added
     * after this test was written — stops a prod start, with every adapter enabled; and with real values from
     * the environment the same configuration starts.
     */
    @Test
    void everyDemoSecretInConfIsRefusedOutsideTheDemoProfileAndRealValuesStart() throws IOException {
        List<PropertySource<?>> conf = new YamlPropertySourceLoader().load("conf",
                new FileSystemResource("conf/application.yaml"));
        Map<String, String> demoSecrets = new TreeMap<>();
        Map<String, Object> allEnabled = new HashMap<>();
        for (PropertySource<?> ps : conf) {
            for (String name : ((EnumerablePropertySource<?>) ps).getPropertyNames()) {
                String raw = String.valueOf(ps.getProperty(name));
                Matcher m = DEMO_DEFAULT.matcher(raw);
                if (m.find() && (m.group(1).startsWith("demo-only") || name.endsWith(".password"))) {
                    demoSecrets.put(name, m.group(1));
                }
                if (name.matches("hub\\.adapters\\.[a-z-]+\\.enabled")) {
                    allEnabled.put(name, "true");
                }
            }
        }
        assertThat(demoSecrets).as("conf/application.yaml's demo secrets").containsKeys(
                "hub.personal-data.hmac-key", "hub.quarantine.key", "hub.security.users[0].password",
                "hub.security.users[1].password", "hub.feed.consumers[0].password", "hub.province.secret",
                "hub.adapters.approvals.api-key", "hub.adapters.housing-fund.password",
                "hub.adapters.hub-feed.password");

        StandardEnvironment env = prodEnvironment(conf, allEnabled);
        SecretGuard guard = new SecretGuard(Binder.get(env).bind("hub", HubProperties.class).get(), env);
        String refusal = catchMessage(guard);
        for (Map.Entry<String, String> secret : demoSecrets.entrySet()) {
            assertThat(refusal).as("names %s", secret.getKey()).contains(secret.getKey());
            if (secret.getValue().startsWith("demo-only")) {
                assertThat(refusal).as("never shows the value").doesNotContain(secret.getValue());
            }
        }

        Map<String, Object> fromEnvironment = new HashMap<>(allEnabled);
        demoSecrets.keySet().forEach(k -> fromEnvironment.put(k, "real-" + Integer.toHexString(k.hashCode())
                + "-0123456789abcdef"));
        StandardEnvironment real = prodEnvironment(conf, fromEnvironment);
        assertThatCode(new SecretGuard(Binder.get(real).bind("hub", HubProperties.class).get(), real)
                ::afterPropertiesSet).doesNotThrowAnyException();
    }

    private static StandardEnvironment prodEnvironment(List<PropertySource<?>> conf, Map<String, Object> overrides) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("overrides", overrides));
        conf.forEach(env.getPropertySources()::addLast);
        env.setActiveProfiles("prod");
        return env;
    }

    private static String catchMessage(SecretGuard guard) {
        try {
            guard.afterPropertiesSet();
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
        throw new AssertionError("a prod start with conf/'s demo secrets was not refused");
    }
}
