package yingyan.adapters.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** hub.adapters.approvals.* binds with its defaults and refuses what the adapter cannot work with. */
class ApprovalsPropertiesTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Config.class)
            .withPropertyValues("hub.adapters.approvals.api-key=secret-key-xyz");

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ApprovalsProperties.class)
    static class Config {
    }

    @Test
    void defaults() {
        runner.run(ctx -> {
            ApprovalsProperties p = ctx.getBean(ApprovalsProperties.class);
            assertThat(p.enabled()).isTrue();
            assertThat(p.pageSize()).isEqualTo(500);
            assertThat(p.overlap()).isEqualTo(Duration.ofSeconds(90));
            assertThat(p.pollInterval()).isEqualTo(Duration.ofSeconds(30));
            assertThat(p.maxAttempts()).isEqualTo(5);
            assertThat(p.startFrom()).isEmpty();
            assertThat(p.apiRoot()).isEqualTo("http://127.0.0.1:18081");
            assertThat(p.toString()).doesNotContain("secret-key-xyz");
        });
    }

    @Test
    void refusesWhatCannotWork() {
        for (String bad : new String[]{"hub.adapters.approvals.page-size=501", "hub.adapters.approvals.page-size=0",
                "hub.adapters.approvals.start-from=2026-02-30 00:00:00", "hub.adapters.approvals.overlap=-1s",
                "hub.adapters.approvals.read-timeout=0s", "hub.adapters.approvals.base-url=ftp://x",
                "hub.adapters.approvals.api-key=", "hub.adapters.approvals.max-attempts=0",
                "hub.adapters.approvals.initial-backoff=1m"}) {
            runner.withPropertyValues(bad).run(ctx -> assertThat(ctx).as(bad).hasFailed());
        }
    }

    @Test
    void aDisabledAdapterNeedsNoKey() {
        runner.withPropertyValues("hub.adapters.approvals.enabled=false", "hub.adapters.approvals.api-key=")
                .run(ctx -> assertThat(ctx).hasNotFailed());
    }
}
