package yingyan.adapters.procurement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.InvalidSourceException;
import yingyan.canonical.ResidentIdProtector;
import yingyan.spi.MappingContext;
import yingyan.spi.SourceItem;

/** GBK decoding, the stray BOM, and the stable serialisation behind payloadSha256 and release. */
class ProcurementCsvTest {
    private static final Charset GBK = Charset.forName("GBK");
    private static final String ROW = "SGCG-2026-0201,\"寿光市某项目(含安装,调试)\",SGJYJ,寿光市教育和体育局,370783,询价,"
            + "\"5,000.00\",4980,寿光某某商贸有限公司,91370783MA3W4X5Y6C,2026-03-02,2026-03-04,已签约,2026-03-04 10:00:00";

    private final ProcurementMapper mapper = new ProcurementMapper();
    private final MappingContext ctx = new MappingContext(new ResidentIdProtector("unit-test-hmac-key"));

    @Test
    void theSameRowGivesTheSameRawAndHashWhateverTheExportsQuotingLineEndsAndBom() throws IOException {
        byte[] plain = gbk(ProcurementCsv.HEADER_LINE + "\r\n" + ROW + "\r\n");
        // Another export of the same content: a BOM, LF line ends, every field quoted, an extra row before it.
        String allQuoted = "\"SGCG-2026-0201\",\"寿光市某项目(含安装,调试)\",\"SGJYJ\",\"寿光市教育和体育局\",\"370783\",\"询价\","
                + "\"5,000.00\",\"4980\",\"寿光某某商贸有限公司\",\"91370783MA3W4X5Y6C\",\"2026-03-02\",\"2026-03-04\","
                + "\"已签约\",\"2026-03-04 10:00:00\"";
        ByteArrayOutputStream other = new ByteArrayOutputStream();
        other.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        other.write(gbk(ProcurementCsv.HEADER_LINE + "\n" + ROW.replace("0201", "0200") + "\n" + allQuoted));

        SourceItem a = items(plain).get(0);
        SourceItem b = items(other.toByteArray()).get(1);
        assertThat(a.raw()).isEqualTo(b.raw());
        assertThat(b.origin()).isEqualTo("cgjg_test.csv line 3");
        CanonicalRecord ra = mapper.map(a, ctx);
        CanonicalRecord rb = mapper.map(b, ctx);
        assertThat(ra.source().payloadSha256()).isEqualTo(rb.source().payloadSha256());
        assertThat(ra.amounts()).extracting(x -> x.value()).containsExactly("5000.00", "4980.00");

        // The serialisation is self-sufficient and readable: header + the row as one UTF-8 RFC 4180 record.
        assertThat(new String(a.raw(), StandardCharsets.UTF_8)).isEqualTo(ProcurementCsv.HEADER_LINE + "\r\n"
                + ROW + "\r\n");

        // Any changed field changes the hash.
        SourceItem changed = items(gbk(ProcurementCsv.HEADER_LINE + "\r\n" + ROW.replace("4980", "4981") + "\r\n"))
                .get(0);
        assertThat(mapper.map(changed, ctx).source().payloadSha256()).isNotEqualTo(ra.source().payloadSha256());
    }

    @Test
    void bytesThatAreNotGbkAreRefusedForTheFieldTheyAreIn() throws IOException {
        String text = ProcurementCsv.HEADER_LINE + "\r\n" + ROW.replace("寿光某某商贸有限公司", "寿光") + "\r\n";
        int at = text.indexOf("寿光,");
        ByteArrayOutputStream broken = new ByteArrayOutputStream();
        broken.write(gbk(text.substring(0, at)));
        broken.write(0xFF); // never a GBK byte: decoded as U+FFFD
        broken.write(gbk(text.substring(at)));
        SourceItem item = items(broken.toByteArray()).get(0);
        assertThatThrownBy(() -> mapper.map(item, ctx)).isInstanceOf(InvalidSourceException.class)
                .hasMessageContaining("中标供应商").hasMessageContaining("not GBK");
    }

    @Test
    void aUtf8ExportIsRefusedWholeAtItsHeader() throws IOException {
        byte[] utf8 = (ProcurementCsv.HEADER_LINE + "\r\n" + ROW + "\r\n").getBytes(StandardCharsets.UTF_8);
        List<SourceItem> items = new ArrayList<>();
        ProcurementExport.Summary s = ProcurementExport.read(new ByteArrayInputStream(utf8), "cgjg_test.csv",
                OffsetDateTime.now(), items::add);
        assertThat(s.headerRejected()).isTrue();
        assertThat(items).hasSize(1);
        assertThat(items.get(0).origin()).isEqualTo("cgjg_test.csv line 1");
        assertThatThrownBy(() -> mapper.map(items.get(0), ctx)).isInstanceOf(InvalidSourceException.class)
                .hasMessageContaining("(header)").hasMessageContaining("GBK");
    }

    @Test
    void anEmptyFileIsRefusedAsHavingNoHeader() throws IOException {
        List<SourceItem> items = new ArrayList<>();
        assertThat(ProcurementExport.read(new ByteArrayInputStream(new byte[0]), "cgjg_empty.csv",
                OffsetDateTime.now(), items::add).headerRejected()).isTrue();
        assertThatThrownBy(() -> mapper.map(items.get(0), ctx)).hasMessageContaining("the file is empty");
    }

    private static List<SourceItem> items(byte[] export) throws IOException {
        List<SourceItem> items = new ArrayList<>();
        ProcurementExport.read(new ByteArrayInputStream(export), "cgjg_test.csv", OffsetDateTime.now(), items::add);
        return items;
    }

    private static byte[] gbk(String s) {
        return s.getBytes(GBK);
    }
}
