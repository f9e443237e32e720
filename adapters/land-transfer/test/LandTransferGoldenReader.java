package yingyan.adapters.landtransfer;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import yingyan.spi.SourceItem;
import yingyan.testsupport.GoldenReader;

/**
 * The golden cases' input.xml is an export as dropped: scanned ({@link ExportScan}) and streamed
 * ({@link ExportReader}) as the adapter reads a file; what the reader refuses itself (a DOCTYPE, a file that
 * is no export, the tail after a break) is a problem, quarantined without mapping.
 */
class LandTransferGoldenReader implements GoldenReader {
    private static final long MAX_TRANSFER_BYTES = 1024 * 1024;

    @Override
    public void read(Path caseDir, OffsetDateTime fetchedAt, Sink sink) throws Exception {
        Path input = caseDir.resolve("input.xml");
        String name = input.getFileName().toString();
        ExportReader reader = new ExportReader(LandTransferProperties.ADAPTER_ID, MAX_TRANSFER_BYTES);
        reader.read(input, name, ExportScan.of(input, name), fetchedAt, new ExportReader.Sink() {
            @Override
            public void item(SourceItem item) {
                sink.item(item);
            }

            @Override
            public void problem(ExportReader.Problem p) {
                sink.problem(p.sourceKey(), p.field(), p.reason());
            }
        });
    }
}
