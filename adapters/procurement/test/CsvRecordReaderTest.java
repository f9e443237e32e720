package yingyan.adapters.procurement;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The RFC 4180 reader: fields as written, and the physical line each record starts on. */
class CsvRecordReaderTest {

    @Test
    void quotedFieldsKeepCommasQuotesAndLineBreaksAndLinesAreCountedPhysically() throws IOException {
        List<CsvRecordReader.CsvRecord> rs = readAll("h1,h2,h3\r\n"
                + "a,\"b,1\",\"say \"\"hi\"\"\"\r\n"
                + "c,\"two\nlines\",\"three\r\nmore\r\nlines\"\r\n"
                + "d,e,f\n"
                + "g,h,i\r"
                + "j,k,l");
        assertThat(rs).extracting(CsvRecordReader.CsvRecord::line).containsExactly(1L, 2L, 3L, 7L, 8L, 9L);
        assertThat(rs.get(1).fields()).containsExactly("a", "b,1", "say \"hi\"");
        assertThat(rs.get(2).fields()).containsExactly("c", "two\nlines", "three\r\nmore\r\nlines");
        assertThat(rs.get(2).lines()).isEqualTo(4);
        assertThat(rs.get(5).fields()).containsExactly("j", "k", "l");
        assertThat(rs).allSatisfy(r -> assertThat(r.problem()).isNull());
    }

    @Test
    void aRowOfSeparatorsBeyondTheCutKeepsNoMoreFieldsThanTheCutText() throws IOException {
        // 256 K characters of data, then two million more fields: the row is cut, and so must its field list be
        // (a 2 GB row of commas would otherwise hold a billion empty fields).
        int commas = 2_000_000;
        Reader row = new Reader() {
            private long left = CsvRecordReader.MAX_RECORD_CHARS + (long) commas;

            @Override
            public int read(char[] cbuf, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                for (int i = 0; i < n; i++) {
                    cbuf[off + i] = left - i > commas ? 'x' : ',';
                }
                left -= n;
                return n;
            }

            @Override
            public void close() {
            }
        };
        try (CsvRecordReader r = new CsvRecordReader(row)) {
            CsvRecordReader.CsvRecord rec = r.next();
            assertThat(rec.problem()).isEqualTo(CsvRecordReader.Problem.TOO_LONG);
            assertThat(rec.text()).hasSize(CsvRecordReader.MAX_RECORD_CHARS);
            assertThat(rec.fields()).hasSizeLessThanOrEqualTo(2);
            assertThat(rec.fields().get(0)).hasSize(CsvRecordReader.MAX_RECORD_CHARS);
            assertThat(r.next()).isNull();
        }
    }

    @Test
    void emptyLinesAndSeparatorOnlyRowsAreBlankAndEmptyFieldsAreKept() throws IOException {
        List<CsvRecordReader.CsvRecord> rs = readAll("a,,c\r\n\r\n,,\r\n\"\",x,\r\n");
        assertThat(rs.get(0).fields()).containsExactly("a", "", "c");
        assertThat(rs.get(1).isBlank()).isTrue();
        assertThat(rs.get(2).isBlank()).isTrue();
        assertThat(rs.get(3).fields()).containsExactly("", "x", "");
        assertThat(rs.get(3).line()).isEqualTo(4);
        assertThat(rs).hasSize(4);
    }

    @Test
    void anUnbalancedQuoteSwallowsTheRestOfTheInputAsOneRecordFromItsStartingLine() throws IOException {
        List<CsvRecordReader.CsvRecord> rs = readAll("h1,h2\r\nok,1\r\nbad,\"open\r\nnext,2\r\nlast,3\r\n");
        assertThat(rs).hasSize(3);
        CsvRecordReader.CsvRecord bad = rs.get(2);
        assertThat(bad.line()).isEqualTo(3);
        assertThat(bad.lines()).isEqualTo(3);
        assertThat(bad.problem()).isEqualTo(CsvRecordReader.Problem.UNBALANCED_QUOTE);
        assertThat(bad.problemField()).isEqualTo(1);
        assertThat(bad.text()).isEqualTo("bad,\"open\r\nnext,2\r\nlast,3\r\n");
    }

    @Test
    void textAfterAClosingQuoteIsReportedAndReadingGoesOnWithTheNextLine() throws IOException {
        List<CsvRecordReader.CsvRecord> rs = readAll("a,\"b\"c,d\r\ne,f,g\r\n");
        assertThat(rs.get(0).problem()).isEqualTo(CsvRecordReader.Problem.TEXT_AFTER_QUOTE);
        assertThat(rs.get(0).problemField()).isEqualTo(1);
        assertThat(rs.get(0).text()).isEqualTo("a,\"b\"c,d\r\n");
        assertThat(rs.get(1).fields()).containsExactly("e", "f", "g");
        assertThat(rs.get(1).line()).isEqualTo(2);
    }

    @Test
    void aQuoteInsideAnUnquotedFieldIsACharacter() throws IOException {
        assertThat(readAll("5\" pipe,x\r\n").get(0).fields()).containsExactly("5\" pipe", "x");
    }

    @Test
    void anOverlongRecordIsCutAndFlaggedAndTheNextOneIsReadWhole() throws IOException {
        String huge = "x".repeat(CsvRecordReader.MAX_RECORD_CHARS + 10);
        List<CsvRecordReader.CsvRecord> rs = readAll("k," + huge + "\r\nnext,1\r\n");
        assertThat(rs.get(0).problem()).isEqualTo(CsvRecordReader.Problem.TOO_LONG);
        assertThat(rs.get(0).text()).hasSize(CsvRecordReader.MAX_RECORD_CHARS);
        assertThat(rs.get(1).fields()).containsExactly("next", "1");
        assertThat(rs.get(1).line()).isEqualTo(2);
        // Read back from its own (cut) text, it is flagged again: a release cannot turn it into a record.
        assertThat(readAll(rs.get(0).text()).get(0).problem()).isEqualTo(CsvRecordReader.Problem.TOO_LONG);
    }

    @Test
    void streamsLargeInputRecordByRecordWithExactLineNumbers() throws IOException {
        int rows = 200_000;
        Reader generated = new Reader() {
            int row;
            String pending = "";

            @Override
            public int read(char[] cbuf, int off, int len) {
                if (pending.isEmpty()) {
                    if (row == rows) {
                        return -1;
                    }
                    row++;
                    // every 10th row has a quoted line break: physical lines run ahead of record numbers
                    pending = row % 10 == 0 ? "K" + row + ",\"a\r\nb\",1\r\n" : "K" + row + ",ab,1\r\n";
                }
                int n = Math.min(len, pending.length());
                pending.getChars(0, n, cbuf, off);
                pending = pending.substring(n);
                return n;
            }

            @Override
            public void close() {
            }
        };
        long count = 0;
        CsvRecordReader.CsvRecord last = null;
        try (CsvRecordReader csv = new CsvRecordReader(generated)) {
            for (CsvRecordReader.CsvRecord r; (r = csv.next()) != null; ) {
                count++;
                last = r;
            }
        }
        assertThat(count).isEqualTo(rows);
        assertThat(last.fields()).containsExactly("K" + rows, "a\r\nb", "1");
        assertThat(last.line()).isEqualTo(rows + rows / 10 - 1);
    }

    private static List<CsvRecordReader.CsvRecord> readAll(String text) throws IOException {
        List<CsvRecordReader.CsvRecord> out = new ArrayList<>();
        try (CsvRecordReader csv = new CsvRecordReader(new StringReader(text))) {
            for (CsvRecordReader.CsvRecord r; (r = csv.next()) != null; ) {
                out.add(r);
            }
        }
        return out;
    }
}
