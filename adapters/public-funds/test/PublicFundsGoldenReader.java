package yingyan.adapters.publicfunds;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import yingyan.testsupport.GoldenReader;

/**
 * {@code input.jsonl}: the message bodies of one case as the treasury publishes them, one per line, in queue
 * order; each becomes an item exactly as {@link PublicFundsMessages} makes it from a delivery.
 */
class PublicFundsGoldenReader implements GoldenReader {

    @Override
    public void read(Path caseDir, OffsetDateTime fetchedAt, Sink sink) throws Exception {
        List<String> lines = Files.readAllLines(caseDir.resolve("input.jsonl"), StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                sink.item(PublicFundsMessages.item(lines.get(i).getBytes(StandardCharsets.UTF_8),
                        "message " + (i + 1), fetchedAt));
            }
        }
    }
}
