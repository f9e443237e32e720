package yingyan.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

/**
 * The key-id settings as the hub binds them from conf/application.yaml: key id 1 and no previous keys unless
 * the environment says otherwise; a rotation's settings (new ids, retired keys by id) arrive as written.
 */
class KeyIdSettingsTest {
    private static HubProperties bind(Map<String, Object> environment) throws Exception {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("environment", environment));
        new YamlPropertySourceLoader().load("conf", new FileSystemResource("conf/application.yaml"))
                .forEach(env.getPropertySources()::addLast);
        return Binder.get(env).bind("hub", HubProperties.class).get();
    }

    @Test
    void theShippedDefaultsAreKeyIdOneWithNoPreviousKeys() throws Exception {
        HubProperties hub = bind(Map.of());

        assertThat(hub.personalData().hmacKeyId()).isEqualTo(1);
        assertThat(hub.quarantine().keyId()).isEqualTo(1);
        assertThat(hub.quarantine().previousKeys()).isEmpty();
    }

    @Test
    void aRotationIsConfiguredFromTheEnvironment() throws Exception {
        HubProperties hub = bind(Map.of("YINGYAN_ID_HMAC_KEY_ID", "2", "YINGYAN_QUARANTINE_KEY_ID", "3",
                "YINGYAN_QUARANTINE_KEY", "third-quarantine-key-0123456789",
                "hub.quarantine.previous-keys.1", "first-quarantine-key-0123456789",
                "hub.quarantine.previous-keys[2]", "second-quarantine-key-0123456789"));

        assertThat(hub.personalData().hmacKeyId()).isEqualTo(2);
        assertThat(hub.quarantine().keyId()).isEqualTo(3);
        assertThat(hub.quarantine().key()).isEqualTo("third-quarantine-key-0123456789");
        assertThat(hub.quarantine().previousKeys()).containsExactlyInAnyOrderEntriesOf(
                Map.of(1, "first-quarantine-key-0123456789", 2, "second-quarantine-key-0123456789"));
        assertThat(hub.quarantine().toString()).doesNotContain("quarantine-key-0123456789");
    }
}
