package yingyan.adapters.trading;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** hub.adapters.trading.page-size is the change request's {@code limit}: the centre takes at most 200. */
class TradingPropertiesTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Config.class)
            .withPropertyValues("hub.adapters.trading.client-secret=secret-xyz");

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(TradingProperties.class)
    static class Config {
    }

    @Test
    void theLimitIs200AtMostAndByDefault() {
        runner.run(ctx -> assertThat(ctx.getBean(TradingProperties.class).pageSize()).isEqualTo(200));
        runner.withPropertyValues("hub.adapters.trading.page-size=200").run(ctx -> assertThat(ctx).hasNotFailed());
        runner.withPropertyValues("hub.adapters.trading.page-size=201").run(ctx -> assertThat(ctx).hasFailed());
        runner.withPropertyValues("hub.adapters.trading.page-size=0").run(ctx -> assertThat(ctx).hasFailed());
    }
}
