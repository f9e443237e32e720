package yingyan.adapters.landtransfer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The quick start's land bureau: drops every sample export of {@code test-data/land-transfer/<case>/input.xml}
 * into the drop folder the way the bureau does, the file first and its empty {@code .ok} after it, named
 * {@code CRGG_20260311_{seq}.xml} in case order, once: a file already in the drop folder, {@code done/} or
 * {@code failed/} is not dropped again. Runs only with {@code hub.demo.enabled=true}.
 */
@Component
@ConditionalOnProperty(name = "hub.demo.enabled", havingValue = "true")
class LandTransferDemoFeeder implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(LandTransferDemoFeeder.class);

    private final LandTransferProperties props;
    private final LandTransferDemoProperties demo;

    LandTransferDemoFeeder(LandTransferProperties props, LandTransferDemoProperties demo) {
        this.props = props;
        this.demo = demo;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        Path cases = Path.of(demo.dataDir(), LandTransferProperties.ADAPTER_ID);
        if (!props.enabled() || !Files.isDirectory(cases)) {
            return;
        }
        Path drop = Files.createDirectories(Path.of(props.dropDir()));
        List<Path> inputs;
        try (Stream<Path> dirs = Files.list(cases)) {
            inputs = dirs.map(d -> d.resolve("input.xml")).filter(Files::isRegularFile).sorted().toList();
        }
        int seq = 0;
        for (Path input : inputs) {
            String name = String.format("CRGG_20260311_%03d.xml", ++seq);
            Path target = drop.resolve(name);
            if (Files.exists(target) || Files.exists(drop.resolve("done").resolve(name))
                    || Files.exists(drop.resolve("failed").resolve(name))) {
                continue; // dropped on an earlier start
            }
            Path partial = drop.resolve(name + ".part"); // not matched by the route until renamed
            Files.copy(input, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            Path ok = drop.resolve(name + ".ok");
            if (!Files.exists(ok)) {
                Files.createFile(ok);
            }
            log.info("demo: dropped {} ({}) into {}", name, input.getParent().getFileName(), drop);
        }
    }
}
