package yingyan.adapters.procurement;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import yingyan.testsupport.GoldenReader;

/** The golden cases' input.csv is an export (GBK bytes as the office sends them), read by {@link ProcurementExport}. */
class ProcurementGoldenReader implements GoldenReader {

    @Override
    public void read(Path caseDir, OffsetDateTime fetchedAt, Sink sink) throws Exception {
        try (InputStream in = Files.newInputStream(caseDir.resolve("input.csv"))) {
            ProcurementExport.read(in, "cgjg_" + caseDir.getFileName() + ".csv", fetchedAt, sink::item);
        }
    }
}
