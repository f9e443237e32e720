package yingyan.feed;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import org.springframework.context.annotation.Configuration;

/**
 * The hub's OpenAPI description, served by springdoc at {@code /v3/api-docs} (Swagger UI at
 * {@code /swagger-ui.html}), to anyone signed in (any role): it describes shapes, not data; every endpoint it describes
 * still asks for its credential.
 */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "Yingyan hub API", version = "v1",
        description = "Records, history, quarantine and the change feed of the Yingyan hub (docs/contracts/hub-api.md)."
                + " JSON by default; record endpoints also answer application/xml (canonical XSD). Lists answer"
                + " {\"items\": [...], \"next\": cursor}; errors are RFC 9457 problem details."),
        security = @SecurityRequirement(name = "basic"))
@SecurityScheme(name = "basic", type = SecuritySchemeType.HTTP, scheme = "basic",
        description = "People (VIEWER, OPERATOR) and the Prometheus scraper (METRICS) from hub.security.users;"
                + " feed consumers (CONSUMER) from hub.feed.consumers")
class ApiDescription {
}
