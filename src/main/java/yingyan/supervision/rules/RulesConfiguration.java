package yingyan.supervision.rules;

import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import yingyan.supervision.conf.ConfDirectory;
import yingyan.supervision.conf.PeriodicReload;
import yingyan.supervision.conf.SupervisionFilesProperties;

/** The {@link RuleBook} bean from {@code hub.supervision.rules-dir}, and its hot reload. */
@Configuration(proxyBeanMethods = false)
class RulesConfiguration {

    @Bean
    RuleBook ruleBook(SupervisionFilesProperties props) {
        return new RuleBook(ConfDirectory.of("hub.supervision.rules-dir", props.rulesDir()));
    }

    @Bean("supervisionRules")
    RulesHealth rulesHealth(RuleBook book) {
        return new RulesHealth(book);
    }

    @Bean
    PeriodicReload rulesReload(SupervisionFilesProperties props, RuleBook book) {
        boolean changeable = ConfDirectory.of("hub.supervision.rules-dir", props.rulesDir()).onFileSystem();
        return new PeriodicReload("rules", changeable ? props.reloadInterval() : Duration.ZERO,
                book::reload);
    }
}
