package yingyan.adapters.procurement;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The quick start's procurement office: once the hub is up, drops the sample exports of
 * {@code test-data/procurement/<case>/input.csv} into the adapter's drop folder the way the office does
 * (written as {@code cgjg_….csv.tmp}, then renamed), so the ordinary source route picks them up.
 * A file already waiting in the folder is left alone; content processed in an earlier run is recognised
 * and only moved to done/.
 */
@Component
@ConditionalOnProperty(prefix = "hub.demo", name = "enabled", havingValue = "true")
class ProcurementDemoDrop {
    private static final Logger log = LoggerFactory.getLogger(ProcurementDemoDrop.class);

    private final ProcurementProperties props;
    private final Path samples;

    ProcurementDemoDrop(ProcurementProperties props, @Value("${hub.demo.data-dir:test-data}") String dataDir) {
        this.props = props;
        this.samples = Path.of(dataDir, ProcurementProperties.ADAPTER_ID);
    }

    @EventListener(ApplicationReadyEvent.class)
    void dropSamples() {
        if (!props.enabled() || !Files.isDirectory(samples)) {
            return;
        }
        try (Stream<Path> cases = Files.list(samples)) {
            List<Path> inputs = cases.map(c -> c.resolve("input.csv")).filter(Files::isRegularFile).sorted().toList();
            Path drop = Files.createDirectories(Path.of(props.dropDir()));
            for (Path input : inputs) {
                String name = demoName(input.getParent().getFileName().toString());
                Path target = drop.resolve(name);
                if (Files.exists(target)) {
                    continue;
                }
                Path tmp = drop.resolve(name + ".tmp");
                Files.copy(input, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                log.info("demo: procurement office dropped {} ({})", target, input);
            }
        } catch (IOException e) {
            log.warn("demo: could not drop the procurement samples from {}: {}", samples, e.toString());
        }
    }

    /** The office's naming, cgjg_{...}.csv, with the sample case's name in place of the hour. */
    static String demoName(String caseName) {
        return "cgjg_demo-" + caseName + ".csv";
    }
}
