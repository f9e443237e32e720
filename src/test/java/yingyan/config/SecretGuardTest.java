package yingyan.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** Outside the demo profile the hub refuses to start with any demo secret. */
class SecretGuardTest {

    private static HubProperties hub(String hmac, String qkey, String password) {
        return new HubProperties("370700", new HubProperties.Queues("q"), new HubProperties.PersonalData(hmac),
                new HubProperties.Quarantine(qkey), new HubProperties.Persist(1, 5),
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
                .hasMessageContaining("password of user 'ops'")
                .hasMessageContaining("hub.adapters.approvals.api-key")
                .hasMessageNotContaining("demo-only-id-hmac-key");
    }

    @Test
    void prodWithRealSecretsStarts() {
        MockEnvironment env = new MockEnvironment().withProperty("hub.adapters.approvals.api-key", "k-7f3a9c");
        env.setActiveProfiles("prod");
        assertThatCode(new SecretGuard(hub("a-real-hmac-key-from-env", "a-real-q-key", "s3cret-Pw"), env)
                ::afterPropertiesSet).doesNotThrowAnyException();
    }

    @Test
    void aDisabledAdaptersDemoSecretDoesNotMatter() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("hub.adapters.approvals.api-key", "demo-only-approvals-key")
                .withProperty("hub.adapters.approvals.enabled", "false");
        env.setActiveProfiles("prod");
        assertThatCode(new SecretGuard(hub("a-real-hmac-key-from-env", "a-real-q-key", "s3cret-Pw"), env)
                ::afterPropertiesSet).doesNotThrowAnyException();
    }

    @Test
    void demoProfileAcceptsDemoSecrets() {
        MockEnvironment env = new MockEnvironment();
        env.setActiveProfiles("demo");
        assertThatCode(new SecretGuard(hub("demo-only-id-hmac-key", "demo-only-q", "demo"), env)
                ::afterPropertiesSet).doesNotThrowAnyException();
    }
}
