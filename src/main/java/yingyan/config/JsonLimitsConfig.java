package yingyan.config;

import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import yingyan.canonical.JsonLimits;

/**
 * Spring's own ObjectMapper (request bodies, actuator) reads with the hub's JSON limits too. The hub has
 * no endpoint that takes a JSON body today; one added later meets the same limits as every source.
 */
@Configuration(proxyBeanMethods = false)
class JsonLimitsConfig {
    @Bean
    Jackson2ObjectMapperBuilderCustomizer hubJsonLimits() {
        return builder -> builder.factory(JsonLimits.factory());
    }
}
