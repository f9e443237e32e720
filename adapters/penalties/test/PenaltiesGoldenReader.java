package yingyan.adapters.penalties;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import yingyan.adapters.penalties.soap.Penalty;
import yingyan.testsupport.GoldenReader;

/** Reads a golden case's response envelope with the adapter's own types and stable form (golden.properties). */
public class PenaltiesGoldenReader implements GoldenReader {

    @Override
    public void read(Path caseDir, OffsetDateTime fetchedAt, Sink sink) throws Exception {
        List<Penalty> penalties;
        try (InputStream in = Files.newInputStream(caseDir.resolve("input.xml"))) {
            penalties = PenaltiesEnvelopes.readResponse(in).getPenalty();
        }
        for (int i = 0; i < penalties.size(); i++) {
            sink.item(PenaltyForm.item(penalties.get(i), "page 1 item " + (i + 1), fetchedAt));
        }
    }
}
