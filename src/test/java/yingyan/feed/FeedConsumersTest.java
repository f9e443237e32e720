package yingyan.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.yaml.snakeyaml.Yaml;
import yingyan.config.HubProperties;
import yingyan.web.ForbiddenException;

/** Who reads the feed with which grants; the quick start's demo user reads everything. */
class FeedConsumersTest {
    private static HubProperties hub(HubProperties.User... users) {
        return new HubProperties("370700", new HubProperties.Queues("q"), new HubProperties.PersonalData("k"),
                new HubProperties.Quarantine("k"), new HubProperties.Persist(1, 5, 4, java.time.Duration.ofSeconds(30)),
                new HubProperties.Security(List.of(users)));
    }

    private static final FeedProperties.Consumer SHOUGUANG = new FeedProperties.Consumer("sg", "pw",
            List.of("370783"), List.of("APPROVAL"));

    @Test
    void aConsumerGetsItsGrantsAndAPersonWithTheConsumerRoleGetsEverything() {
        FeedConsumers c = new FeedConsumers(new FeedProperties(List.of(SHOUGUANG)),
                hub(new HubProperties.User("demo", "demo", List.of("OPERATOR", "VIEWER", "CONSUMER"))));
        FeedGrants sg = c.grantsOf(new TestingAuthenticationToken("sg", null, "ROLE_CONSUMER"));
        assertThat(sg.regions()).contains(Set.of("370783"));
        assertThat(sg.domains()).contains(Set.of("APPROVAL"));
        assertThat(c.grantsOf(new TestingAuthenticationToken("demo", null, "ROLE_CONSUMER")))
                .isEqualTo(FeedGrants.ALL);
    }

    @Test
    void aFilterOutsideTheGrantsIsRefusedAndNoFilterMeansEverythingGranted() {
        assertThat(FeedGrants.narrow(Optional.of(Set.of("370783")), null, "regionCode", "sg"))
                .contains(Set.of("370783"));
        assertThat(FeedGrants.narrow(Optional.empty(), "370700", "regionCode", "p")).contains(Set.of("370700"));
        assertThatThrownBy(() -> FeedGrants.narrow(Optional.of(Set.of("370783")), "370700", "regionCode", "sg"))
                .isInstanceOf(ForbiddenException.class).hasMessageContaining("not granted regionCode '370700'");
    }

    @Test
    void aNameThatIsBothAConsumerAndAPersonStopsTheHub() {
        assertThatThrownBy(() -> new FeedConsumers(new FeedProperties(List.of(SHOUGUANG)),
                hub(new HubProperties.User("sg", "x", List.of("VIEWER")))))
                .hasMessageContaining("both a feed consumer");
    }

    @Test
    @SuppressWarnings("unchecked")
    void inTheQuickStartDemoIsAConsumerWithEveryGrantAndEveryConfiguredConsumerHasAnEnvironmentPassword()
            throws Exception {
        Map<String, Object> root;
        try (InputStream in = Files.newInputStream(Path.of("conf/application.yaml"))) {
            root = new Yaml().load(in);
        }
        Map<String, Object> hub = (Map<String, Object>) root.get("hub");
        List<Map<String, Object>> users = (List<Map<String, Object>>) ((Map<String, Object>) hub.get("security"))
                .get("users");
        assertThat(users).anySatisfy(u -> {
            assertThat(u.get("name").toString()).endsWith(":demo}");
            assertThat((List<String>) u.get("roles")).contains("CONSUMER");
        });
        List<Map<String, Object>> consumers = (List<Map<String, Object>>) ((Map<String, Object>) hub.get("feed"))
                .get("consumers");
        assertThat(consumers).isNotEmpty().allSatisfy(c ->
                assertThat(c.get("password").toString()).matches("\\$\\{[A-Z_]+:demo-only-[^}]+}"));
    }
}
