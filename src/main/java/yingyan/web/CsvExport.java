package yingyan.web;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import yingyan.canonical.ResidentIds;

/**
 * The one way the hub writes CSV (the {@code text/csv} answers of {@code /api/v1/records} and
 * {@code /api/v1/quarantine}), for people who open it in a spreadsheet. Department data reaches these
 * cells unchanged, so every cell is neutralised against CSV injection as OWASP recommends: a value that
 * begins with {@code = + - @}, TAB or CR gets a leading single quote (a spreadsheet then shows it as text
 * instead of running {@code =cmd|' /C calc'!A0}); every cell is quoted, quotes doubled, so a comma, quote
 * or line break inside a value never starts another cell. Resident-ID-shaped runs are masked, as
 * everywhere the hub shows data. The body starts with a UTF-8 BOM so that spreadsheets read the Chinese
 * text as UTF-8; lines end with CRLF (RFC 4180).
 *
 * <p>The cost of the quote: a negative amount reads {@code '-12.00}; amounts are never negative in v1.
 */
public final class CsvExport {
    public static final MediaType TEXT_CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);
    public static final String TEXT_CSV_VALUE = "text/csv";
    private static final String BOM = "\uFEFF";

    private final StringBuilder out = new StringBuilder(BOM);

    /** A CSV document starting with its header row. */
    public CsvExport(List<String> header) {
        row(header);
    }

    /** Adds one row; {@code null} is an empty cell. */
    public CsvExport row(List<?> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(cell(cells.get(i)));
        }
        out.append("\r\n");
        return this;
    }

    /** The answer: {@code text/csv; charset=UTF-8}, the next cursor (if any) in {@code X-Next-Cursor}. */
    public ResponseEntity<String> answer(String nextCursor) {
        ResponseEntity.BodyBuilder b = ResponseEntity.ok().contentType(TEXT_CSV);
        if (nextCursor != null) {
            b.header(Cursors.NEXT_HEADER, nextCursor);
        }
        return b.header(HttpHeaders.CONTENT_DISPOSITION, "inline").body(out.toString());
    }

    /** One cell: masked, neutralised, quoted. */
    static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String s = ResidentIds.maskAll(String.valueOf(value));
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
            s = "'" + s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** What an export handed out, for its audit entry: the rows of this page, and whether more pages follow. */
    public static String rowsNote(int rows, boolean more) {
        return rows + " rows" + (more ? " (more on the next page)" : "");
    }

    /** Whether a request asks for CSV: {@code format=csv}. */
    public static boolean requested(String format) {
        return format != null && format.equalsIgnoreCase("csv");
    }
}
