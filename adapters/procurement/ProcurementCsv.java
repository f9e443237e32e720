package yingyan.adapters.procurement;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import yingyan.canonical.InvalidSourceException;

/**
 * The procurement office's export format (docs/contracts/departments/procurement.md) and the stable serialisation of
 * one row that the hub hashes, quarantines and re-maps on release.
 *
 * <p>Stable serialisation of a row (UTF-8): the spec's header line, CRLF, then the row's fields as one
 * RFC 4180 record, CRLF. A field is quoted only when it holds a comma, a quote or a line break; quotes
 * are doubled; field text is kept exactly (spaces, formula-like text, line breaks inside a field).
 * So the same row content gives the same bytes (and payloadSha256) whatever quoting or line ends an
 * export used. A malformed row (unbalanced quote, text after a closing quote, too long) cannot be
 * re-encoded: its serialisation is the header line, CRLF, then the row's text exactly as read. A file
 * whose header is wrong is represented by its first record's text as read.
 */
final class ProcurementCsv {
    static final Charset GBK = Charset.forName("GBK");
    static final List<String> HEADER = List.of("项目编号", "项目名称", "采购单位编码", "采购单位", "区划", "采购方式",
            "预算金额", "中标金额", "中标供应商", "供应商信用代码", "公告日期", "合同签订日期", "状态", "更新时间");
    static final String HEADER_LINE = String.join(",", HEADER);
    static final String CRLF = "\r\n";

    static final int PROJECT_NO = 0;
    static final int PROJECT_NAME = 1;
    static final int UNIT_CODE = 2;
    static final int UNIT_NAME = 3;
    static final int REGION = 4;
    static final int METHOD = 5;
    static final int BUDGET = 6;
    static final int AWARD = 7;
    static final int SUPPLIER = 8;
    static final int SUPPLIER_CODE = 9;
    static final int ANNOUNCED = 10;
    static final int CONTRACTED = 11;
    static final int STATE = 12;
    static final int UPDATED = 13;

    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private ProcurementCsv() {
    }

    /**
     * A GBK reader over an export, skipping a stray UTF-8 BOM (EF BB BF) in front of the GBK content.
     * Bytes that are not GBK become U+FFFD, which the mapping then refuses for the field they are in.
     */
    static Reader openGbk(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(UTF8_BOM.length);
        byte[] head = in.readNBytes(UTF8_BOM.length);
        if (!Arrays.equals(head, UTF8_BOM)) {
            in.reset();
        }
        return new InputStreamReader(in, GBK.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE));
    }

    /** The stable serialisation of a well-formed row. */
    static byte[] rowRaw(List<String> fields) {
        StringBuilder sb = new StringBuilder(HEADER_LINE.length() + 256).append(HEADER_LINE).append(CRLF);
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String f = fields.get(i);
            if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\r') >= 0 || f.indexOf('\n') >= 0) {
                sb.append('"').append(f.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(f);
            }
        }
        return sb.append(CRLF).toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The serialisation of a row that is not well-formed: the header line, then its text as read. */
    static byte[] malformedRaw(String text) {
        return (HEADER_LINE + CRLF + text).getBytes(StandardCharsets.UTF_8);
    }

    /** A file whose header is wrong: its first record as read. */
    static byte[] headerRaw(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads a serialised row back into its fields.
     *
     * @throws InvalidSourceException when the header is wrong, or the row is malformed or has the wrong
     *         number of fields
     */
    static List<String> parseRaw(String raw) {
        try (CsvRecordReader csv = new CsvRecordReader(new StringReader(raw))) {
            CsvRecordReader.CsvRecord header = csv.next();
            checkHeader(header);
            CsvRecordReader.CsvRecord row = csv.next();
            if (row == null) {
                throw new InvalidSourceException("(row)", null, "the item holds no data row after the header");
            }
            if (row.problem() != null) {
                throw malformed(row);
            }
            if (csv.next() != null) {
                throw new InvalidSourceException("(row)", null, "the item holds more than one row");
            }
            if (row.fields().size() != HEADER.size()) {
                throw new InvalidSourceException("(row)", row.fields().size() + " fields",
                        "a row must have exactly " + HEADER.size() + " fields like the header ("
                                + (row.fields().size() < HEADER.size() ? "short row: a missing column"
                                : "long row: a stray comma, or an unquoted amount with thousands separators") + ")");
            }
            return row.fields();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not fail
        }
    }

    /** Refuses a missing, malformed or different header, naming the first column that differs. */
    static void checkHeader(CsvRecordReader.CsvRecord header) {
        if (header == null) {
            throw new InvalidSourceException("(header)", null, "the file is empty; the first line must be the header "
                    + HEADER_LINE);
        }
        List<String> got = header.fields();
        if (header.problem() == null && got.equals(HEADER)) {
            return;
        }
        String detail;
        int i = 0;
        while (i < got.size() && i < HEADER.size() && got.get(i).equals(HEADER.get(i))) {
            i++;
        }
        if (header.problem() != null) {
            detail = "it is not a well-formed CSV line (" + header.problem() + ")";
        } else if (i < got.size() && i < HEADER.size()) {
            detail = "column " + (i + 1) + " is '" + cut(got.get(i), 40) + "' where '" + HEADER.get(i) + "' is expected";
        } else {
            detail = "it has " + got.size() + " columns instead of " + HEADER.size();
        }
        throw new InvalidSourceException("(header)", cut(String.join(",", got), 300),
                "the header must be exactly " + HEADER_LINE + " (a GBK-encoded file): " + detail
                        + "; the whole file is quarantined and moved to failed/");
    }

    static InvalidSourceException malformed(CsvRecordReader.CsvRecord row) {
        String field = row.problemField() >= 0 && row.problemField() < HEADER.size()
                ? HEADER.get(row.problemField()) : "(row)";
        String value = cut(row.problemField() >= 0 && row.problemField() < row.fields().size()
                ? row.fields().get(row.problemField()) : row.text(), 60);
        String rule = switch (row.problem()) {
            case UNBALANCED_QUOTE -> "unbalanced quote: the quoted field opened here never closes, so (RFC 4180) it"
                    + " swallows the rest of the file, " + row.lines() + " physical lines, quarantined as one item";
            case TEXT_AFTER_QUOTE -> "text after the closing quote of a quoted field has no RFC 4180 reading"
                    + " (write \"\" for a quote inside a quoted field)";
            case TOO_LONG -> "the row is " + CsvRecordReader.MAX_RECORD_CHARS
                    + " characters or longer; kept cut at that length";
        };
        return new InvalidSourceException(field, value, rule);
    }

    static String cut(String s, int max) {
        if (s == null) {
            return null;
        }
        String oneLine = s.replace("\r", "\\r").replace("\n", "\\n");
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max) + "…";
    }
}
