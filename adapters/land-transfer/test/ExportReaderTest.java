package yingyan.adapters.landtransfer;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.InvalidSourceException;
import yingyan.canonical.ResidentIdProtector;
import yingyan.spi.MappingContext;
import yingyan.spi.Payloads;
import yingyan.spi.ProcessedFiles;
import yingyan.spi.SourceItem;

/** The reader and the stable serialisation on their own: hashes, security, limits. */
class ExportReaderTest {
    static final String TRANSFER = """
            <Transfer>
                <ParcelNo>SG2026-017</ParcelNo>
                <Location>寿光市圣城街道某某路东侧 &amp; 北侧</Location>
                <Method>挂牌</Method>
                <AnnouncedAt>2026-01-15T09:00:00</AnnouncedAt>
                <StartPrice>38500000.00</StartPrice>
                <Winner type="ORG" creditCode="91350100M000100Y43">寿光市某某置业有限公司</Winner>
                <PaidAt/>
                <Status>已签约</Status>
                <UpdatedAt>2026-03-10T17:45:12</UpdatedAt>
              </Transfer>""";

    @TempDir
    Path dir;
    WireMockServer http;

    @BeforeEach
    void start() {
        http = new WireMockServer(options().dynamicPort());
        http.start();
    }

    @AfterEach
    void stop() {
        http.stop();
    }

    @Test
    void anUnchangedTransferHashesTheSameWhateverTheEncodingLayoutCommentsAndExportTime() throws IOException {
        Path utf8 = write("a.xml", export("UTF-8", "2026-03-11T02:00:00", TRANSFER), StandardCharsets.UTF_8);
        String compact = TRANSFER.replaceAll(">\\s+<", "><").replace("<Method>", "<!-- 方式 --><Method>");
        Path gb = write("b.xml", export("GB18030", "2026-03-12T02:00:00", compact), Charset.forName("GB18030"));

        SourceItem a = read(utf8).items.get(0);
        SourceItem b = read(gb).items.get(0);

        assertThat(a.raw()).isEqualTo(b.raw());
        assertThat(Payloads.sha256(a.raw())).isEqualTo(Payloads.sha256(b.raw()));
        assertThat(a.text()).isEqualTo("<Transfer region=\"370783\"><ParcelNo>SG2026-017</ParcelNo>"
                + "<Location>寿光市圣城街道某某路东侧 &amp; 北侧</Location><Method>挂牌</Method>"
                + "<AnnouncedAt>2026-01-15T09:00:00</AnnouncedAt><StartPrice>38500000.00</StartPrice>"
                + "<Winner creditCode=\"91350100M000100Y43\" type=\"ORG\">寿光市某某置业有限公司</Winner>"
                + "<PaidAt></PaidAt><Status>已签约</Status><UpdatedAt>2026-03-10T17:45:12</UpdatedAt></Transfer>");
        assertThat(a.sourceKey()).isEqualTo("SG2026-017");
        assertThat(a.origin()).isEqualTo("a.xml line 3");
    }

    @Test
    void anyChangedValueOrRegionChangesTheHash() throws IOException {
        String base = Payloads.sha256(read(write("a.xml", export("UTF-8", "x", TRANSFER), StandardCharsets.UTF_8))
                .items.get(0).raw());
        String price = Payloads.sha256(read(write("b.xml", export("UTF-8", "x",
                TRANSFER.replace("38500000.00", "38500000.01")), StandardCharsets.UTF_8)).items.get(0).raw());
        String region = Payloads.sha256(read(write("c.xml", export("UTF-8", "x", TRANSFER)
                .replace("region=\"370783\"", "region=\"370781\""), StandardCharsets.UTF_8)).items.get(0).raw());
        assertThat(List.of(price, region)).doesNotContain(base).doesNotHaveDuplicates();
    }

    @Test
    void theItemAloneMapsToTheRecordWithTheExportsRegion() throws IOException {
        SourceItem item = read(write("a.xml", export("UTF-8", "x", TRANSFER), StandardCharsets.UTF_8)).items.get(0);
        // As quarantine release does: nothing but the stored bytes.
        SourceItem stored = new SourceItem(item.adapterId(), item.sourceKey(), item.raw(), item.charset(), "q",
                OffsetDateTime.now());
        CanonicalRecord r = new LandTransferMapper().map(stored, context());
        assertThat(r.regionCode()).isEqualTo("370783");
        assertThat(r.recordId()).isEqualTo("land-transfer:SG2026-017");
        assertThat(r.source().payloadSha256()).isEqualTo(Payloads.sha256(item.raw()));
    }

    @Test
    void theParserItselfRefusesADoctypeAndResolvesNothingEvenWithoutThePreScan() throws IOException {
        Path secret = write("secret.txt", "TOP-SECRET-LINE", StandardCharsets.UTF_8);
        String doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE LandTransferExport [\n"
                + "<!ENTITY file SYSTEM \"" + secret.toUri() + "\">\n"
                + "<!ENTITY web SYSTEM \"" + http.baseUrl() + "/xxe\">\n"
                + "<!ENTITY % dtd SYSTEM \"" + http.baseUrl() + "/evil.dtd\"> %dtd;\n]>\n"
                + "<LandTransferExport region=\"370783\">" + TRANSFER.replace("寿光市某某置业有限公司", "&file;&web;")
                + "</LandTransferExport>";
        Path file = write("x.xml", doc, StandardCharsets.UTF_8);
        ExportScan unscanned = new ExportScan(ProcessedFiles.keyOf(file), 0, new byte[0]);
        Collected c = new Collected();
        ExportReader.Result result = reader().read(file, "x.xml", unscanned, OffsetDateTime.now(), c);

        assertThat(result.failed()).isTrue();
        assertThat(c.items).isEmpty();
        assertThat(c.problems).singleElement().satisfies(p -> assertThat(p.reason()).contains(SafeXml.REFUSED));
        assertThat(http.getAllServeEvents()).isEmpty();

        // And the mapper, handed such bytes (e.g. on release), refuses them the same way.
        SourceItem evil = SourceItem.utf8("land-transfer", "x", doc.replace("LandTransferExport", "Transfer")
                .getBytes(StandardCharsets.UTF_8), "x", OffsetDateTime.now());
        assertThatThrownBy(() -> new LandTransferMapper().map(evil, context()))
                .isInstanceOf(InvalidSourceException.class).hasMessageContaining(SafeXml.REFUSED)
                .hasMessageNotContaining("TOP-SECRET");
        assertThat(http.getAllServeEvents()).isEmpty();
    }

    @Test
    void aDoctypeAnywhereInTheFileRefusesTheWholeFileBeforeAnyTransferIsRead() throws IOException {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            many.append(TRANSFER.replace("SG2026-017", "P-" + i)).append('\n');
        }
        // Past the first 64 KB: not well-formed there, but refused as a whole, not read up to it.
        String doc = export("UTF-8", "x", many + "<!DOCTYPE x [<!ENTITY e SYSTEM \"" + http.baseUrl() + "/x\">]>");
        Path file = write("late.xml", doc, StandardCharsets.UTF_8);
        ExportScan scan = ExportScan.of(file, "late.xml");
        assertThat(scan.refused()).isTrue();
        assertThat(scan.refusedAtLine()).isGreaterThan(3000);
        Collected c = read(file);
        assertThat(c.items).isEmpty();
        assertThat(c.problems).singleElement().satisfies(p -> {
            assertThat(p.reason()).contains(SafeXml.REFUSED);
            assertThat(p.raw()).hasSize(ExportScan.HEAD_LIMIT);
            assertThat(p.origin()).isEqualTo("late.xml");
        });
        assertThat(http.getAllServeEvents()).isEmpty();
    }

    @Test
    void anOversizedTransferIsQuarantinedAndTheNextOneStillRead() throws IOException {
        String huge = TRANSFER.replace("寿光市圣城街道某某路东侧 &amp; 北侧", "很长".repeat(300_000))
                .replace("SG2026-017", "BIG-1");
        Path file = write("big.xml", export("UTF-8", "x", huge + TRANSFER), StandardCharsets.UTF_8);
        Collected c = read(file);
        assertThat(c.items).extracting(SourceItem::sourceKey).containsExactly("SG2026-017");
        assertThat(c.problems).singleElement().satisfies(p -> {
            assertThat(p.sourceKey()).isEqualTo("BIG-1");
            assertThat(p.field()).isEqualTo("Transfer");
            assertThat(p.reason()).contains("larger than 1048576 bytes");
            assertThat(p.raw().length).isLessThanOrEqualTo(ExportScan.HEAD_LIMIT);
        });
    }

    @Test
    void anUndeclaredEntityReferenceEndsTheReadLikeAnyBreakAndNamesTheLine() throws IOException {
        String bad = TRANSFER.replace("SG2026-017", "P-2").replace("寿光市某某置业有限公司", "&ghost;");
        Path file = write("e.xml", export("UTF-8", "x", TRANSFER + "\n  " + bad + "\n  "
                + TRANSFER.replace("SG2026-017", "P-3")), StandardCharsets.UTF_8);
        Collected c = read(file);
        assertThat(c.items).extracting(SourceItem::sourceKey).containsExactly("SG2026-017");
        assertThat(c.problems).singleElement().satisfies(p -> {
            assertThat(p.sourceKey()).isEqualTo("P-2");
            assertThat(p.origin()).isEqualTo("e.xml line 14");
            assertThat(p.reason()).contains("&ghost;");
            assertThat(new String(p.raw(), StandardCharsets.UTF_8)).startsWith("  <Transfer>").contains("P-3");
        });
    }

    @Test
    void unknownElementsAreIgnoredButATransferWrappedInOneIsStillRead() throws IOException {
        Path file = write("w.xml", export("UTF-8", "x", "<Batch no=\"1\"><Note>略</Note>"
                + TRANSFER.replace("SG2026-017", "W-1") + "</Batch>\n  " + TRANSFER), StandardCharsets.UTF_8);
        Collected c = read(file);
        assertThat(c.items).extracting(SourceItem::sourceKey).containsExactly("W-1", "SG2026-017");
        assertThat(c.problems).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "an attribute value | <Winner type=\"ORG\" creditCode=\"|\">x</Winner>| a tag (an attribute value)",
        "a comment          | <!--|-->                                             | a comment",
        "a CDATA section    | <Note><![CDATA[|]]></Note>                           | a CDATA section",
        "a processing instruction | <?pi data=|?>                                  | a processing instruction"})
    void markupLongerThanTheLimitIsRefusedBeforeTheParserHoldsIt(String what, String open, String close,
                                                                 String named) throws IOException {
        // The JDK's parser holds each of these whole: 1 GB of it would end the hub (LandTransferBigFileTest
        // shows it with 300 MB against -Xmx256m); here 3 MB against a 1 MB limit.
        String big = open.strip() + "寿光".repeat(500_000) + close.strip();
        Path file = write("m.xml", export("UTF-8", "x", TRANSFER + "\n  <Transfer><ParcelNo>M-2</ParcelNo>" + big
                + "</Transfer>\n  " + TRANSFER.replace("SG2026-017", "M-3")), StandardCharsets.UTF_8);
        Collected c = read(file);
        assertThat(c.items).extracting(SourceItem::sourceKey).containsExactly("SG2026-017");
        assertThat(c.problems).singleElement().satisfies(p -> {
            assertThat(p.reason()).contains(named.strip() + " starting on line 14 is longer than 1048576 bytes")
                    .contains("max-transfer-size");
            assertThat(p.sourceKey()).isEqualTo("M-2");
            assertThat(p.raw().length).isLessThanOrEqualTo(ExportScan.HEAD_LIMIT);
        });
    }

    @Test
    void elementsNestedDeeperThanTheLimitEndTheReadInsteadOfFillingTheParsersStack() throws IOException {
        int depth = 10_000;
        Path file = write("d.xml", export("UTF-8", "x", TRANSFER + "\n  <Annex>" + "<a>".repeat(depth)
                + "</a>".repeat(depth) + "</Annex>"), StandardCharsets.UTF_8);
        Collected c = read(file);
        assertThat(c.items).extracting(SourceItem::sourceKey).containsExactly("SG2026-017");
        assertThat(c.problems).singleElement().satisfies(p -> assertThat(p.reason())
                .contains("not well-formed XML").contains("maxElementDepth").contains("" + SafeXml.MAX_ELEMENT_DEPTH));
    }

    @Test
    void anExternalDtdWithoutAnInternalSubsetIsRefusedAndNeverFetched() throws IOException {
        String doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE LandTransferExport SYSTEM \"" + http.baseUrl()
                + "/evil.dtd\">\n<LandTransferExport region=\"370783\">" + TRANSFER + "</LandTransferExport>";
        Path file = write("dtd.xml", doc, StandardCharsets.UTF_8);
        assertThat(ExportScan.of(file, "dtd.xml").refused()).isTrue();
        Collected c = new Collected();
        // Even without the pre-scan the parser itself refuses it.
        reader().read(file, "dtd.xml", new ExportScan(ProcessedFiles.keyOf(file), 0, new byte[0]), OffsetDateTime.now(),
                c);
        assertThat(c.items).isEmpty();
        assertThat(c.problems).singleElement().satisfies(p -> assertThat(p.reason()).contains(SafeXml.REFUSED));
        assertThat(http.getAllServeEvents()).isEmpty();
    }

    @Test
    void bytesThatAreNotUtf8InAFileDeclaredUtf8EndTheReadThereAndTheTransfersBeforeAreRead() throws IOException {
        String[] parts = export("UTF-8", "x", TRANSFER + "\n  " + TRANSFER.replace("SG2026-017", "U-2")
                .replace("<Location>", "<Location>@@")).split("@@");
        byte[] doc = yingyan.testsupport.BadInputs.bytes(parts[0], yingyan.testsupport.BadInputs.NOT_UTF8, parts[1]);
        Path file = Files.write(dir.resolve("u.xml"), doc);
        Collected c = read(file);
        assertThat(c.items).extracting(SourceItem::sourceKey).containsExactly("SG2026-017");
        assertThat(c.problems).singleElement().satisfies(p -> {
            assertThat(p.reason()).contains("not well-formed XML at line").containsIgnoringCase("UTF-8");
            assertThat(p.origin()).isEqualTo("u.xml line 14");
        });
    }

    @Test
    void bytesThatAreNotGb18030InAFileDeclaredGb18030AreNeverReadAsSomethingElse() throws IOException {
        String head = export("GB18030", "x", TRANSFER + "\n  " + TRANSFER.replace("SG2026-017", "G-2")
                .replace("<Location>", "<Location>@@"));
        String[] parts = head.split("@@");
        byte[] doc = yingyan.testsupport.BadInputs.bytes(parts[0].getBytes(Charset.forName("GB18030")),
                yingyan.testsupport.BadInputs.NOT_GBK, parts[1].getBytes(Charset.forName("GB18030")));
        Path file = Files.write(dir.resolve("g.xml"), doc);
        Collected c = read(file);
        // The Transfer with the bad bytes becomes no record: either the read stops there or its mapping
        // refuses the replacement character; the good Transfer before it is read either way.
        assertThat(c.items).extracting(SourceItem::sourceKey).contains("SG2026-017");
        List<String> refusedBy = new ArrayList<>();
        c.problems.forEach(p -> refusedBy.add(p.reason()));
        for (SourceItem item : c.items) {
            if (!"SG2026-017".equals(item.sourceKey())) {
                try {
                    yingyan.canonical.RecordValidator.requireValid(new LandTransferMapper().map(item, context()));
                } catch (InvalidSourceException e) {
                    refusedBy.add(e.getMessage());
                }
            }
        }
        assertThat(refusedBy).singleElement().asString().containsAnyOf("GB18030", "U+FFFD", "Invalid byte",
                "not valid");
    }

    private static String export(String encoding, String exportedAt, String transfers) {
        return "<?xml version=\"1.0\" encoding=\"" + encoding + "\"?>\n<LandTransferExport exportedAt=\"" + exportedAt
                + "\" region=\"370783\">\n  " + transfers + "\n</LandTransferExport>\n";
    }

    private Path write(String name, String content, Charset cs) throws IOException {
        return Files.write(dir.resolve(name), content.getBytes(cs));
    }

    private static ExportReader reader() {
        return new ExportReader("land-transfer", 1024 * 1024);
    }

    private static Collected read(Path file) throws IOException {
        Collected c = new Collected();
        String name = file.getFileName().toString();
        reader().read(file, name, ExportScan.of(file, name), OffsetDateTime.now(), c);
        return c;
    }

    private static MappingContext context() {
        return new MappingContext(new ResidentIdProtector("unit-test-hmac-key-0123456789"));
    }

    static final class Collected implements ExportReader.Sink {
        final List<SourceItem> items = new ArrayList<>();
        final List<ExportReader.Problem> problems = new ArrayList<>();

        @Override
        public void item(SourceItem item) {
            items.add(item);
        }

        @Override
        public void problem(ExportReader.Problem problem) {
            problems.add(problem);
        }
    }
}
