package yingyan.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.ValidatorHandler;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.support.EncodedResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;
import org.xml.sax.Attributes;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.XMLFilterImpl;

/**
 * What the departments publish (schemas/sources/, docs/contracts/departments/) and the samples under
 * test-data/ describe the same formats. A sample is held to its contract only where the contract calls it
 * valid, and its expected.json says which: an item that became a record (in {@code records})
 * is valid; a quarantined one is deliberately bad. Where a schema can state the rule a bad sample breaks,
 * the schema refuses it too, so a schema that says nothing cannot pass.
 */
class SourceSchemaAgreementTest {
    static final Path SCHEMAS = Path.of("schemas");
    static final Path DATA = Path.of("test-data");
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String URN = "urn:yingyan:";

    static JsonSchemaFactory factory;

    @BeforeAll
    static void factory() {
        // Schemas name each other by URN ($id); the repository's schemas/ folder holds them under the same path.
        factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                b -> b.schemaMappers(m -> m.mappings(SourceSchemaAgreementTest::repositoryFile)));
    }

    private static String repositoryFile(String iri) {
        if (!iri.startsWith(URN)) {
            return null;
        }
        return SCHEMAS.resolve(iri.substring(URN.length()).replace(':', '/')).toAbsolutePath().toUri().toString();
    }

    static JsonSchema schema(String urn) {
        // 2020-12 treats "format" as an annotation by default; the contracts mean it.
        JsonSchema s = factory.getSchema(SchemaLocation.of(urn),
                SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        s.initializeValidators();
        return s;
    }

    static Set<ValidationMessage> errors(JsonSchema schema, JsonNode node) {
        return schema.validate(node.toString(), InputFormat.JSON);
    }

    static List<Path> cases(String adapter) throws IOException {
        try (Stream<Path> s = Files.list(DATA.resolve(adapter))) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    static JsonNode read(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    /** The source keys of the records a golden case expects ({@code records[].source.key}). */
    static Set<String> storedKeys(JsonNode expected) {
        Set<String> keys = new HashSet<>();
        expected.path("records").forEach(r -> keys.add(r.path("source").path("key").asText()));
        return keys;
    }

    @Test
    void everySchemaIsAValid2020_12Schema() throws IOException {
        JsonSchema meta = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        List<Path> files;
        try (Stream<Path> s = Files.walk(SCHEMAS)) {
            files = s.filter(p -> p.toString().endsWith(".schema.json")).toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(6);
        for (Path f : files) {
            assertThat(meta.validate(read(f))).as(f.toString()).isEmpty();
        }
    }

    // ---- approvals: JSON pages ----

    @TestFactory
    Stream<DynamicTest> approvalsCasesTheHubStoresAreContractCases() throws IOException {
        JsonSchema caseSchema = schema("urn:yingyan:sources:approvals:case.schema.json");
        JsonSchema pageSchema = schema("urn:yingyan:sources:approvals:page.schema.json");
        List<DynamicTest> tests = new ArrayList<>();
        for (Path dir : cases("approvals")) {
            JsonNode page = read(dir.resolve("input.json"));
            Set<String> stored = storedKeys(read(dir.resolve("expected.json")));
            boolean allStored = true;
            for (int i = 0; i < page.path("items").size(); i++) {
                JsonNode item = page.path("items").get(i);
                if (!stored.contains(item.path("caseNo").asText(null))) {
                    allStored = false;
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(dir.getFileName() + " item " + i,
                        () -> assertThat(errors(caseSchema, item)).isEmpty()));
            }
            if (allStored) {
                tests.add(DynamicTest.dynamicTest(dir.getFileName() + " page",
                        () -> assertThat(errors(pageSchema, page)).isEmpty()));
            }
        }
        assertThat(tests).hasSizeGreaterThan(15);
        return tests.stream();
    }

    static Stream<Arguments> brokenApprovalsCases() {
        return Stream.of(
                approvals("fee as a JSON number", c -> c.put("fee", 1200.5)),
                approvals("fee with 3 fraction digits", c -> c.put("fee", "1200.005")),
                approvals("negative fee", c -> c.put("fee", "-1.00")),
                approvals("a state the contract does not list", c -> c.put("state", "已归档")),
                approvals("no caseNo", c -> c.remove("caseNo")),
                approvals("no updatedAt", c -> c.remove("updatedAt")),
                approvals("ISO time instead of the local form", c -> c.put("receivedAt", "2026-03-02T09:15:00")),
                approvals("unknown applicant kind", c -> ((ObjectNode) c.get("applicant")).put("kind", "个体户")),
                approvals("limit as a string", c -> c.put("legalLimit", "20")),
                approvals("5-digit region", c -> c.put("regionCode", "37078")));
    }

    private static Arguments approvals(String name, Consumer<ObjectNode> breakIt) {
        return Arguments.of(Named.of(name, breakIt));
    }

    @ParameterizedTest
    @MethodSource("brokenApprovalsCases")
    void approvalsCaseSchemaRefuses(Consumer<ObjectNode> breakIt) throws IOException {
        ObjectNode item = (ObjectNode) read(DATA.resolve("approvals/org-all-steps/input.json")).path("items").get(0);
        assertThat(errors(schema("urn:yingyan:sources:approvals:case.schema.json"), item)).isEmpty();

        breakIt.accept(item);

        assertThat(errors(schema("urn:yingyan:sources:approvals:case.schema.json"), item)).isNotEmpty();
    }

    @Test
    void approvalsPageSchemaRefusesMoreThan500AndPageZero() throws IOException {
        JsonSchema pageSchema = schema("urn:yingyan:sources:approvals:page.schema.json");
        ObjectNode page = (ObjectNode) read(DATA.resolve("approvals/org-all-steps/input.json"));

        assertThat(errors(pageSchema, page.deepCopy().put("size", 501))).isNotEmpty();
        assertThat(errors(pageSchema, page.deepCopy().put("page", 0))).isNotEmpty();
    }

    // ---- hub-feed: another hub's feed pages of canonical records ----

    @TestFactory
    Stream<DynamicTest> hubFeedItemsTheHubStoresAreCanonicalRecords() throws IOException {
        JsonSchema record = schema("urn:yingyan:canonical:v1:record.schema.json");
        JsonSchema pageSchema = schema("urn:yingyan:sources:hub-feed:page.schema.json");
        List<DynamicTest> tests = new ArrayList<>();
        for (Path dir : cases("hub-feed")) {
            JsonNode page = read(dir.resolve("input.json"));
            JsonNode expected = read(dir.resolve("expected.json"));
            Set<String> stored = new HashSet<>();
            expected.path("records").forEach(r -> stored.add(r.path("recordId").asText()));
            for (JsonNode item : page.path("items")) {
                if (stored.contains(item.path("recordId").asText())) {
                    tests.add(DynamicTest.dynamicTest(dir.getFileName() + " " + item.path("recordId").asText(),
                            () -> assertThat(errors(record, item)).isEmpty()));
                }
            }
            if (expected.path("quarantined").isEmpty()) {
                tests.add(DynamicTest.dynamicTest(dir.getFileName() + " page",
                        () -> assertThat(errors(pageSchema, page)).isEmpty()));
            }
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(4);
        return tests.stream();
    }

    @Test
    void hubFeedPageSchemaRefusesAPageWithoutCursorOrWithAnUnknownField() throws IOException {
        JsonSchema pageSchema = schema("urn:yingyan:sources:hub-feed:page.schema.json");
        ObjectNode page = (ObjectNode) read(DATA.resolve("hub-feed/county-page/input.json"));
        assertThat(errors(pageSchema, page)).isEmpty();

        ObjectNode noCursor = page.deepCopy();
        noCursor.remove("next");
        ObjectNode remark = page.deepCopy();
        ((ObjectNode) remark.path("items").get(0)).put("remark", "x");

        assertThat(errors(pageSchema, noCursor)).isNotEmpty();
        assertThat(errors(pageSchema, remark)).isNotEmpty();
    }

    // ---- housing-fund: the centre's tables ----

    /**
     * Every sample row is a row of the contract's tables as the centre's application leaves it: bad values
     * (unknown codes, broken IDs, mangled text) are the hub's to quarantine, not something the tables refuse.
     * Each row is one item, so the rows are the expected records plus the expected quarantine entries.
     */
    @TestFactory
    Stream<DynamicTest> housingFundSamplesAreRowsOfTheContractTables() throws IOException {
        return cases("housing-fund").stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
            JsonNode expected = read(dir.resolve("expected.json"));
            try (Connection c = contractTables()) {
                ScriptUtils.executeSqlScript(c, new EncodedResource(new FileSystemResource(dir.resolve("input.sql")),
                        StandardCharsets.UTF_8));
                assertThat(count(c, "GJJ_TQ") + count(c, "GJJ_DK"))
                        .isEqualTo(expected.path("records").size() + expected.path("quarantined").size());
            }
        }));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "INSERT INTO GJJ_TQ (TQBH, ZGXM, SFZH, TQLX, TQJE, SQSJ, ZT, XZQH, GXSJ) VALUES"
                    + " ('T1', NULL, '370702198503150010', '01', 1.00, '2026-03-02 09:15:00', '0', '370702', '2026-03-02 09:15:00')",
            "INSERT INTO GJJ_TQ (TQBH, ZGXM, SFZH, TQLX, TQJE, SQSJ, ZT, XZQH, GXSJ) VALUES"
                    + " ('T1', '张伟', '370702198503150010X', '01', 1.00, '2026-03-02 09:15:00', '0', '370702', '2026-03-02 09:15:00')",
            "INSERT INTO GJJ_DK (DKBH, JKRXM, SFZH, DKJE, SQSJ, ZT, XZQH, GXSJ) VALUES"
                    + " ('D1', '张伟', '370702198503150010', 1.00, '2026-03-02 09:15:00', '0', '370702', '2026-03-02 09:15:00')",
            "INSERT INTO GJJ_TQ (TQBH, ZGXM, SFZH, TQLX, TQJE, SQSJ, ZT, XZQH, GXSJ, BZ) VALUES"
                    + " ('T1', '张伟', '370702198503150010', '01', 1.00, '2026-03-02 09:15:00', '0', '370702', '2026-03-02 09:15:00', 'x')"})
    void housingFundTablesRefuseRowsTheCentreCannotHold(String insert) throws SQLException {
        try (Connection c = contractTables(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute(insert)).isInstanceOf(SQLException.class);
        }
    }

    /** A fresh H2 database in MariaDB mode holding schemas/sources/housing-fund/tables.sql. */
    private static Connection contractTables() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:h2:mem:contract-" + UUID.randomUUID()
                + ";MODE=MariaDB;DB_CLOSE_DELAY=0", "sa", "");
        ScriptUtils.executeSqlScript(c, new EncodedResource(new FileSystemResource(
                SCHEMAS.resolve("sources/housing-fund/tables.sql")), StandardCharsets.UTF_8));
        return c;
    }

    private static int count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    // ---- land-transfer: the XML export ----

    /** The element names export.xsd declares; the contract says every other element is ignored. */
    static final Set<String> DECLARED = Set.of("LandTransferExport", "Transfer", "ParcelNo", "Location", "AreaM2", "Use",
            "Method", "AnnouncedAt", "StartPrice", "DealPrice", "Winner", "ContractedAt", "PaidAt", "Status",
            "UpdatedAt");

    @TestFactory
    Stream<DynamicTest> landTransferExportsWithNothingQuarantinedAreContractExports() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path dir : cases("land-transfer")) {
            if (read(dir.resolve("expected.json")).path("quarantined").isEmpty()) {
                tests.add(DynamicTest.dynamicTest(dir.getFileName().toString(),
                        () -> assertThat(xsdErrors(dir.resolve("input.xml"))).isEmpty()));
            }
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(3);
        return tests.stream();
    }

    /**
     * Exports the hub quarantines for what the XSD states (unknown Method or Status, 3 fraction digits, a time
     * that is no dateTime, an amount with an exponent or separators, an ID with a bad character, a DOCTYPE,
     * a broken tail). Not here: a region outside the code list and a wrong count (hub checks, see export.xsd).
     */
    @ParameterizedTest
    @ValueSource(strings = {"04-malformed-transfers", "05-not-well-formed-tail", "06-doctype-external-entity",
            "07-billion-laughs", "10-bad-values"})
    void landTransferXsdRefusesTheBadExports(String name) throws Exception {
        assertThat(xsdErrors(DATA.resolve("land-transfer").resolve(name).resolve("input.xml"))).isNotEmpty();
    }

    /** XSD errors of an export, after dropping the elements the schema does not declare (the contract's rule). */
    static List<String> xsdErrors(Path file) throws Exception {
        SchemaFactory sf = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        sf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        sf.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        sf.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        ValidatorHandler validator = sf.newSchema(SCHEMAS.resolve("sources/land-transfer/export.xsd").toFile())
                .newValidatorHandler();
        List<String> errors = new ArrayList<>();
        validator.setErrorHandler(new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {
            }

            @Override
            public void error(SAXParseException e) {
                errors.add("line " + e.getLineNumber() + ": " + e.getMessage());
            }

            @Override
            public void fatalError(SAXParseException e) throws SAXException {
                throw e;
            }
        });
        SAXParserFactory pf = SAXParserFactory.newInstance();
        pf.setNamespaceAware(true);
        // A DOCTYPE is refused, never resolved (the export comes from outside the city network).
        pf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        pf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        XMLReader reader = pf.newSAXParser().getXMLReader();
        UnknownElementsDropped filter = new UnknownElementsDropped(reader);
        filter.setContentHandler(validator);
        try (InputStream in = Files.newInputStream(file)) {
            filter.parse(new InputSource(in));
        } catch (SAXException e) {
            errors.add(e.getMessage());
        }
        return errors;
    }

    /** Passes on only the elements export.xsd declares, each with its whole content; drops the others with theirs. */
    static final class UnknownElementsDropped extends XMLFilterImpl {
        private int skipping;

        UnknownElementsDropped(XMLReader parent) {
            super(parent);
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
            if (skipping > 0 || !DECLARED.contains(localName)) {
                skipping++;
                return;
            }
            super.startElement(uri, localName, qName, atts);
        }

        @Override
        public void endElement(String uri, String localName, String qName) throws SAXException {
            if (skipping > 0) {
                skipping--;
                return;
            }
            super.endElement(uri, localName, qName);
        }

        @Override
        public void characters(char[] ch, int start, int length) throws SAXException {
            if (skipping == 0) {
                super.characters(ch, start, length);
            }
        }
    }

    // ---- procurement: the GBK CSV export ----

    @TestFactory
    Stream<DynamicTest> procurementRowsTheHubStoresAreContractRows() throws IOException {
        JsonNode columns = read(SCHEMAS.resolve("sources/procurement/columns.json")).path("columns");
        List<DynamicTest> tests = new ArrayList<>();
        for (Path dir : cases("procurement")) {
            JsonNode expected = read(dir.resolve("expected.json"));
            List<CSVRecord> rows = csv(dir.resolve("input.csv"));
            boolean headerRefused = false;
            for (JsonNode q : expected.path("quarantined")) {
                headerRefused |= "(header)".equals(q.path("field").asText());
            }
            if (headerRefused) {
                tests.add(DynamicTest.dynamicTest(dir.getFileName() + " header",
                        () -> assertThat(header(rows.get(0))).isNotEqualTo(names(columns))));
                continue;
            }
            tests.add(DynamicTest.dynamicTest(dir.getFileName() + " header",
                    () -> assertThat(header(rows.get(0))).isEqualTo(names(columns))));
            Set<String> stored = storedKeys(expected);
            for (CSVRecord row : rows.subList(1, rows.size())) {
                if (stored.contains(row.get(0).trim())) {
                    tests.add(DynamicTest.dynamicTest(dir.getFileName() + " " + row.get(0).trim(),
                            () -> assertThat(rowErrors(columns, row)).isEmpty()));
                }
            }
        }
        assertThat(tests).hasSizeGreaterThan(11);
        return tests.stream();
    }

    /** Rows quarantined for what columns.json states: field count, amount form, date form, method, state. */
    @ParameterizedTest
    @ValueSource(strings = {"bad-rows/SGCG-2026-0102", "bad-rows/SGCG-2026-0103", "bad-rows/SGCG-2026-0104",
            "bad-rows/SGCG-2026-0106", "bad-rows/SGCG-2026-0107", "bad-rows/SGCG-2026-0108", "bad-rows/SGCG-2026-0111",
            "bad-values/SGCG-2026-0201", "bad-values/SGCG-2026-0202", "bad-values/SGCG-2026-0203",
            "bad-values/SGCG-2026-0204"})
    void procurementColumnsRefuseTheBadRows(String caseAndKey) throws IOException {
        String[] parts = caseAndKey.split("/");
        JsonNode columns = read(SCHEMAS.resolve("sources/procurement/columns.json")).path("columns");
        CSVRecord row = csv(DATA.resolve("procurement").resolve(parts[0]).resolve("input.csv")).stream()
                .filter(r -> r.get(0).trim().equals(parts[1])).findFirst().orElseThrow();

        assertThat(rowErrors(columns, row)).isNotEmpty();
    }

    /** The export's records: GBK after a stray UTF-8 BOM if any, RFC 4180, empty lines skipped. */
    static List<CSVRecord> csv(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int from = bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB
                && (bytes[2] & 0xff) == 0xBF ? 3 : 0;
        String text = new String(bytes, from, bytes.length - from, Charset.forName("GBK"));
        // Lenient only where the contract says the file goes on: an unbalanced quote ends the file as one
        // record, text after a closing quote stays in its field; both rows are then judged by the columns.
        CSVFormat format = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).setLenientEof(true)
                .setTrailingData(true).get();
        try (CSVParser p = CSVParser.parse(new StringReader(text), format)) {
            return p.getRecords();
        }
    }

    private static List<String> header(CSVRecord r) {
        return r.toList();
    }

    private static List<String> names(JsonNode columns) {
        List<String> names = new ArrayList<>();
        columns.forEach(c -> names.add(c.path("name").asText()));
        return names;
    }

    /** What in a row breaks columns.json: the field count, or a field's required / pattern / enum rule. */
    static List<String> rowErrors(JsonNode columns, CSVRecord row) {
        List<String> errors = new ArrayList<>();
        if (row.size() != columns.size()) {
            errors.add(row.size() + " fields, not " + columns.size());
            return errors;
        }
        for (int i = 0; i < columns.size(); i++) {
            JsonNode c = columns.get(i);
            String v = row.get(i);
            String name = c.path("name").asText();
            if (v.isEmpty()) {
                if (c.path("required").asBoolean()) {
                    errors.add(name + " is required");
                }
                continue;
            }
            if (c.has("pattern") && !Pattern.compile(c.path("pattern").asText()).matcher(v).find()) {
                errors.add(name + " = '" + v + "' does not match " + c.path("pattern").asText());
            }
            if (c.has("enum")) {
                List<String> allowed = new ArrayList<>();
                c.path("enum").forEach(e -> allowed.add(e.asText()));
                if (!allowed.contains(v)) {
                    errors.add(name + " = '" + v + "' is not one of " + allowed);
                }
            }
        }
        return errors;
    }
}
