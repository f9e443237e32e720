package yingyan;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.integration.IntegrationAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import yingyan.cli.Cli;
import yingyan.cli.Terminal;

/**
 * The Yingyan data-integration hub. {@code java -jar yingyan-hub.jar} (or with only --options) runs the
 * hub; {@code java -jar yingyan-hub.jar <command> ...} runs the operator command line ({@link Cli}).
 */
// IntegrationAutoConfiguration excluded: the hub uses Spring Integration's leader election only (yingyan.cluster),
// none of its channels or schedulers, and INT_LOCK comes from Flyway (V20), not the library's schema initializer.
@SpringBootApplication(exclude = IntegrationAutoConfiguration.class)
@ConfigurationPropertiesScan
public class YingyanHub {
    public static void main(String[] args) {
        if (Cli.isCommand(args)) {
            System.exit(Cli.run(Terminal.system(), args));
        }
        SpringApplication.run(YingyanHub.class, args);
    }
}
