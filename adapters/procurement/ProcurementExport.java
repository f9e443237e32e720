package yingyan.adapters.procurement;

import java.io.IOException;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.util.function.Consumer;
import yingyan.canonical.InvalidSourceException;
import yingyan.spi.SourceItem;

/**
 * Streams one export file into source items, one per row, each with its origin "{file} line {N}" (the
 * physical line the row starts on). A wrong header makes the whole file one item (the mapping refuses
 * it with the reason) and nothing else is read. Empty lines and rows of only separators carry no data
 * and are skipped.
 */
final class ProcurementExport {

    /** What reading one file came to. */
    record Summary(boolean headerRejected, long rows, long blankLines) {
    }

    private ProcurementExport() {
    }

    /**
     * Reads the export from {@code in} (GBK, a stray UTF-8 BOM skipped) and hands each item to
     * {@code sink} as soon as it is read; an exception of the sink stops the reading and propagates.
     */
    static Summary read(InputStream in, String fileName, OffsetDateTime fetchedAt, Consumer<SourceItem> sink)
            throws IOException {
        try (CsvRecordReader csv = new CsvRecordReader(ProcurementCsv.openGbk(in))) {
            CsvRecordReader.CsvRecord header = csv.next();
            try {
                ProcurementCsv.checkHeader(header);
            } catch (InvalidSourceException wrong) {
                sink.accept(item(null, ProcurementCsv.headerRaw(header == null ? "" : header.text()), fileName, 1,
                        fetchedAt));
                return new Summary(true, 0, 0);
            }
            long rows = 0;
            long blank = 0;
            for (CsvRecordReader.CsvRecord r; (r = csv.next()) != null; ) {
                if (r.isBlank()) {
                    blank++;
                    continue;
                }
                byte[] raw = r.problem() == null ? ProcurementCsv.rowRaw(r.fields())
                        : ProcurementCsv.malformedRaw(r.text());
                sink.accept(item(sourceKey(r), raw, fileName, r.line(), fetchedAt));
                rows++;
            }
            return new Summary(false, rows, blank);
        }
    }

    private static SourceItem item(String key, byte[] raw, String fileName, long line, OffsetDateTime fetchedAt) {
        return SourceItem.utf8(ProcurementProperties.ADAPTER_ID, key, raw, fileName + " line " + line, fetchedAt);
    }

    /** 项目编号 when it is readable, even on a bad row, so a person can find the row by its key. */
    private static String sourceKey(CsvRecordReader.CsvRecord r) {
        if (r.fields().isEmpty() || r.problemField() == 0) {
            return null;
        }
        String k = r.fields().get(0).trim();
        return k.isEmpty() || k.length() > 200 || k.chars().anyMatch(Character::isWhitespace) ? null : k;
    }
}
