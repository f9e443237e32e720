package yingyan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.errorhandler.DefaultErrorHandlerDefinition;
import org.apache.camel.model.errorhandler.NoErrorHandlerDefinition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * Error handling is declared in one place (docs/routes.md): the route configurations of
 * {@code routes/*-errors.yaml}, one per file named by its id. Every route, YAML or Java, names one of them;
 * none declares an error handler or onException of its own; which one follows from what starts the route.
 */
@SpringBootTest
@ActiveProfiles("test")
class RouteErrorHandlingTest {
    private static final Path ROUTES = Path.of("routes");
    /** What starts a route → the error handling it takes. */
    private static final Map<String, String> BY_CONSUMER = Map.of(
            "direct", "ingest-errors",
            "jms", "persist-errors",
            "timer", "timer-errors",
            "file", "drop-folder-errors",
            "sftp", "drop-folder-errors",
            "spring-rabbitmq", "queue-errors");

    @Autowired
    CamelContext camel;

    @Test
    void theRouteConfigurationsAreTheErrorsFilesOfTheRoutesFolder() throws IOException {
        // A route configuration declared anywhere else (a Java RouteConfigurationBuilder) shows up here.
        assertThat(model().getRouteConfigurationDefinitions()).extracting(RouteConfigurationDefinition::getId)
                .containsExactlyInAnyOrderElementsOf(errorsFiles());
    }

    @Test
    void everyRouteTakesTheErrorHandlingOfWhatStartsIt() throws IOException {
        Set<String> declared = errorsFiles();
        for (Route route : camel.getRoutes()) {
            RouteDefinition d = model().getRouteDefinition(route.getRouteId());
            String scheme = d.getInput().getEndpointUri().split(":", 2)[0];
            String config = d.getRouteConfigurationId();
            assertThat(config).as("route %s names its error handling", route.getRouteId()).isIn(declared);
            assertThat(config).as("route %s, started by %s:", route.getRouteId(), scheme)
                    .isEqualTo(BY_CONSUMER.get(scheme));
            assertThat(d.getAppliedRouteConfigurationIds()).as(route.getRouteId()).containsExactly(config);

            RouteConfigurationDefinition c = model().getRouteConfigurationDefinition(config);
            if (c.getErrorHandler() != null) {
                assertThat(d.getErrorHandlerFactory()).as("%s: the error handler of %s, not its own",
                        route.getRouteId(), config).isSameAs(c.getErrorHandler().getErrorHandlerType());
            }
            assertThat(d.getOutputs().stream().filter(OnExceptionDefinition.class::isInstance).toList())
                    .as("%s: the onException of %s only", route.getRouteId(), config)
                    .containsExactlyElementsOf(c.getOnExceptions());
        }
    }

    @Test
    void failuresGoBackToTheCallerOrConsumerWhereNothingIsRetriedInPlace() {
        assertThat(handler("ingest-errors")).isInstanceOf(NoErrorHandlerDefinition.class);
        assertThat(handler("drop-folder-errors")).isInstanceOf(NoErrorHandlerDefinition.class);
        assertThat(handler("queue-errors")).isInstanceOf(NoErrorHandlerDefinition.class);
        assertThat(handler("timer-errors")).isInstanceOf(DefaultErrorHandlerDefinition.class);
        assertThat(((DefaultErrorHandlerDefinition) handler("timer-errors")).hasRedeliveryPolicy()).isFalse();
        assertThat(model().getRouteConfigurationDefinition("persist-errors").getErrorHandler()).isNull();
    }

    private Object handler(String config) {
        return model().getRouteConfigurationDefinition(config).getErrorHandler().getErrorHandlerType();
    }

    private ModelCamelContext model() {
        return (ModelCamelContext) camel;
    }

    private static Set<String> errorsFiles() throws IOException {
        try (Stream<Path> files = Files.list(ROUTES)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("-errors.yaml"))
                    .map(n -> n.substring(0, n.length() - ".yaml".length()))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
