package yingyan.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import yingyan.testsupport.BadInputs;

/**
 * The CSV export of {@code /api/v1/records} and {@code /api/v1/quarantine} with formula-like text that
 * arrived through the procurement adapter (a GBK export dropped the office's way): every cell that a
 * spreadsheet would run as a formula is neutralised with a leading quote, every cell is quoted, the
 * same filters, paging and roles as JSON apply, and no resident ID appears in clear.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class CsvExportTest {
    static final Charset GBK = Charset.forName("GBK");
    static final String HEADER = "项目编号,项目名称,采购单位编码,采购单位,区划,采购方式,预算金额,中标金额,中标供应商,供应商信用代码,"
            + "公告日期,合同签订日期,状态,更新时间\r\n";
    static final Path DROP;

    static {
        try {
            DROP = Files.createTempDirectory("csv-export-drop");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Autowired TestRestTemplate rest;
    @Autowired JdbcTemplate jdbc;

    @DynamicPropertySource
    static void dropFolder(DynamicPropertyRegistry r) {
        r.add("hub.adapters.procurement.enabled", () -> "true");
        r.add("hub.adapters.procurement.drop-dir", DROP::toString);
        r.add("hub.adapters.procurement.poll-interval", () -> "100ms");
    }

    @Test
    void cellsAreNeutralisedQuotedAndMasked() {
        assertThat(CsvExport.cell("=cmd|' /C calc'!A0")).isEqualTo("\"'=cmd|' /C calc'!A0\"");
        assertThat(CsvExport.cell("+1")).isEqualTo("\"'+1\"");
        assertThat(CsvExport.cell("-2")).isEqualTo("\"'-2\"");
        assertThat(CsvExport.cell("@SUM(A1)")).isEqualTo("\"'@SUM(A1)\"");
        assertThat(CsvExport.cell("\t=1")).isEqualTo("\"'\t=1\"");
        assertThat(CsvExport.cell("\r=1")).isEqualTo("\"'\r=1\"");
        assertThat(CsvExport.cell("a \"b\", c\nd")).isEqualTo("\"a \"\"b\"\", c\nd\"");
        assertThat(CsvExport.cell("证件 11010519491231002X")).isEqualTo("\"证件 110105********002X\"");
        assertThat(CsvExport.cell("证件 110105 19491231 002X")).isEqualTo("\"证件 110105********002X\"");
        assertThat(CsvExport.cell("旧证 110105491231002；补录 11010519491231002"))
                .isEqualTo("\"旧证 110105*****1002；补录 110105*******1002\"");
        // a payload hash with a 16-digit run is a cell a reader traces the source bytes by: whole
        String hash = "53e508df9478806906095050f5b2be59fc185e8da8dc5b9441b7172d126c6354";
        assertThat(CsvExport.cell(hash)).isEqualTo("\"" + hash + "\"");
        assertThat(CsvExport.cell("913707001234567893")).as("an all-digit credit code").isEqualTo("\"913707001234567893\"");
        assertThat(CsvExport.cell("1 + 1 = 2")).isEqualTo("\"1 + 1 = 2\"");
        assertThat(CsvExport.cell(null)).isEmpty();
    }

    @Test
    void formulaTextFromAProcurementExportIsExportedAsTextInRecordsAndQuarantine() throws Exception {
        StringBuilder csv = new StringBuilder(HEADER);
        String[] f = BadInputs.FORMULAS;
        for (int i = 0; i < f.length; i++) {
            // formulas as project name, purchasing unit and supplier, quoted as a spreadsheet writes them
            csv.append("CSVX-").append(i).append(",").append(q(f[i])).append(",sgjyj,").append(q(f[(i + 1) % f.length]))
                    .append(",370783,公开招标,100.00,90.00,").append(q(f[(i + 2) % f.length]))
                    .append(",91350100M000100Y43,2026-03-02,2026-03-20,已签约,2026-03-20 16:30:0").append(i)
                    .append("\r\n");
        }
        // quarantined: a formula as the key (@SUM(1+1)*cmd), an unknown region, a resident ID in the credit-code column
        csv.append(q(f[3])).append(",x,sgjyj,y,999999,公开招标,1.00,1.00,z,11010519491231002X,2026-03-02,,已公告,"
                + "2026-03-20 16:30:00\r\n");
        Path tmp = DROP.resolve("cgjg_2026032016.csv.tmp");
        Files.write(tmp, csv.toString().getBytes(GBK));
        Files.move(tmp, DROP.resolve("cgjg_2026032016.csv"));
        await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM record WHERE record_id LIKE 'procurement:CSVX-%'", Long.class) == f.length);

        ResponseEntity<String> records = get("/api/v1/records?domain=PROCUREMENT&format=csv", "viewer", null);
        assertThat(records.getStatusCode().value()).isEqualTo(200);
        assertThat(records.getHeaders().getContentType().toString()).startsWith("text/csv");
        List<CSVRecord> rows = parse(records.getBody());
        assertThat(rows.get(0).get(0)).isEqualTo("recordId");
        List<String> cells = new ArrayList<>();
        rows.forEach(r -> r.forEach(cells::add));
        for (String formula : f) {
            // as purchasing unit (department.name) and supplier (party.name); kept exactly, quote in front
            assertThat(cells).contains("'" + formula).doesNotContain(formula);
        }
        assertNothingRunsAsAFormula(cells);
        assertThat(records.getBody()).startsWith("\uFEFF\"recordId\"").contains("\r\n");

        // Accept: text/csv gives the same; paging as JSON, the cursor in X-Next-Cursor
        ResponseEntity<String> page1 = get("/api/v1/records?domain=PROCUREMENT&limit=2", "viewer", "text/csv");
        assertThat(parse(page1.getBody())).hasSize(3);
        String next = page1.getHeaders().getFirst("X-Next-Cursor");
        assertThat(next).isNotBlank();
        ResponseEntity<String> page2 = get("/api/v1/records?domain=PROCUREMENT&limit=2&after=" + next, "viewer",
                "text/csv");
        assertThat(parse(page2.getBody()).get(1).get(0)).isNotEqualTo(parse(page1.getBody()).get(1).get(0));

        ResponseEntity<String> quarantine = get("/api/v1/quarantine?adapter=procurement", "viewer", "text/csv");
        assertThat(quarantine.getStatusCode().value()).isEqualTo(200);
        List<String> qcells = new ArrayList<>();
        parse(quarantine.getBody()).forEach(r -> r.forEach(qcells::add));
        assertThat(qcells).contains("'" + f[3]); // the row's key, as sourceKey
        assertNothingRunsAsAFormula(qcells);
        assertThat(quarantine.getBody()).doesNotContain("11010519491231002X");

        // the same roles and validation as JSON
        assertThat(get("/api/v1/records?format=csv", null, null).getStatusCode().value()).isEqualTo(401);
        assertThat(get("/api/v1/quarantine?format=csv", "province", null).getStatusCode().value()).isEqualTo(403);
        assertThat(get("/api/v1/records?format=csv&limit=0", "viewer", null).getStatusCode().value()).isEqualTo(400);
    }

    private static void assertNothingRunsAsAFormula(List<String> cells) {
        assertThat(cells).allSatisfy(c -> assertThat(c).doesNotStartWith("=").doesNotStartWith("+")
                .doesNotStartWith("-").doesNotStartWith("@").doesNotStartWith("\t").doesNotStartWith("\r"));
    }

    private ResponseEntity<String> get(String path, String user, String accept) {
        HttpHeaders h = new HttpHeaders();
        if (accept != null) {
            h.set(HttpHeaders.ACCEPT, accept);
        }
        TestRestTemplate t = user == null ? rest : rest.withBasicAuth(user, switch (user) {
            case "viewer" -> "viewer-secret";
            case "province" -> "province-secret";
            default -> "operator-secret";
        });
        return t.exchange(path, HttpMethod.GET, new HttpEntity<>(h), String.class);
    }

    private static List<CSVRecord> parse(String body) throws IOException {
        String text = body.startsWith("\uFEFF") ? body.substring(1) : body;
        return CSVFormat.RFC4180.parse(new StringReader(text)).getRecords();
    }

    private static String q(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
