package yingyan.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The machine-readable contract (schemas/canonical/v1) and the Java binding state the same model:
 * what Java writes validates and reads back equal; what the schemas refuse, they refuse in both forms.
 */
class CanonicalSchemaAgreementTest {
    private static final Path JSON_SCHEMA_FILE = Path.of("schemas/canonical/v1/record.schema.json");
    private static final Path XSD_FILE = Path.of("schemas/canonical/v1/record.xsd");

    private static JsonSchema jsonSchema;
    private static Schema xsd;

    @BeforeAll
    static void loadSchemas() throws Exception {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        // 2020-12 treats "format" as an annotation by default; the contract means it.
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        try (InputStream in = Files.newInputStream(JSON_SCHEMA_FILE)) {
            jsonSchema = factory.getSchema(in, config);
        }
        jsonSchema.initializeValidators();

        SchemaFactory sf = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        sf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        sf.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        sf.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        xsd = sf.newSchema(XSD_FILE.toFile());
    }

    static Stream<Named<CanonicalRecord>> records() {
        return Stream.concat(CanonicalFixtures.varied().stream().map(r -> Named.of(r.recordId(), r)),
                Stream.of(Named.of("a person hashed with a rotated ID key (key id 2)", rotatedIdKey())));
    }

    /** The spec example with a person whose ID hash was made with key id 2 ({@code k2:…}). */
    private static CanonicalRecord rotatedIdKey() {
        CanonicalRecord e = CanonicalFixtures.specExample();
        Party person = Party.person("王五", new ResidentIdProtector(2, "test-only-rotated-hmac-key-0123")
                .protect("idNo", "11010519491231002X", false));
        return new CanonicalRecord(e.schemaVersion(), e.recordId(), e.domain(), e.regionCode(), e.department(),
                e.matter(), person, e.amounts(), e.timeline(), e.limits(), e.status(), e.source());
    }

    @Test
    void theFixturesCoverTheModel() {
        List<CanonicalRecord> all = CanonicalFixtures.varied();
        assertThat(all).extracting(CanonicalRecord::domain).contains(Domain.values());
        assertThat(all).extracting(r -> r.party() == null ? null : r.party().type())
                .contains(PartyType.ORG, PartyType.PERSON, null);
        assertThat(all).extracting(CanonicalRecord::limits).containsNull();
        assertThat(all).anyMatch(r -> r.amounts().isEmpty()).anyMatch(r -> r.amounts().size() >= 3)
                .anyMatch(r -> r.timeline().isEmpty()).anyMatch(r -> r.timeline().size() >= 5)
                .anyMatch(r -> r.source().fetchedAt().getNano() != 0);
        assertThat(all).allSatisfy(r -> assertThat(RecordValidator.check(r)).isEmpty());
    }

    @Test
    void jsonSchemaIsAValid2020_12Schema() throws IOException {
        JsonSchema meta = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        assertThat(meta.validate(CanonicalJson.mapper().readTree(JSON_SCHEMA_FILE.toFile()))).isEmpty();
    }

    @Test
    void schemasAreAlsoOnTheClasspath() {
        assertThat(getClass().getResource("/schemas/canonical/v1/record.schema.json")).isNotNull();
        assertThat(getClass().getResource("/schemas/canonical/v1/record.xsd")).isNotNull();
    }

    @ParameterizedTest
    @MethodSource("records")
    void jsonValidatesAndReadsBack(CanonicalRecord record) {
        String json = CanonicalJson.write(record);

        assertThat(jsonErrors(json)).isEmpty();
        assertThat(CanonicalJson.read(json)).isEqualTo(record);
    }

    @ParameterizedTest
    @MethodSource("records")
    void xmlValidatesAndReadsBack(CanonicalRecord record) {
        String xml = CanonicalXml.write(record);

        assertThat(xmlErrors(xml)).isEmpty();
        assertThat(CanonicalXml.read(xml)).isEqualTo(record);
    }

    @ParameterizedTest
    @MethodSource("records")
    void nullIsJsonNullAndAnOmittedElementInXml(CanonicalRecord record) throws IOException {
        JsonNode json = CanonicalJson.mapper().readTree(CanonicalJson.write(record));
        String xml = CanonicalXml.write(record);

        assertThat(json.has("party")).isTrue();
        assertThat(json.has("limits")).isTrue();
        assertThat(xml.contains("<party>")).isEqualTo(record.party() != null);
        assertThat(xml.contains("<limits>")).isEqualTo(record.limits() != null);
        assertThat(xml).doesNotContain("xsi:nil");
    }

    @Test
    void aFeedOfRecordsValidatesAgainstTheRecordsElement() {
        String feed = CanonicalFixtures.varied().stream()
                .map(r -> CanonicalXml.write(r).replaceFirst("^<\\?xml[^>]*\\?>", ""))
                .collect(Collectors.joining("", "<records xmlns=\"urn:yingyan:canonical:v1\">", "</records>"));

        assertThat(xmlErrors(feed)).isEmpty();
        assertThat(xmlErrors("<records xmlns=\"urn:yingyan:canonical:v1\"/>")).isEmpty();
        assertThat(xmlErrors("<records xmlns=\"urn:yingyan:canonical:v1\"><amounts/></records>")).isNotEmpty();
    }

    /** The spec's example, field for field (only the elided payload hash is filled in). */
    @Test
    void specExampleSerialisesAsTheSpecShowsIt() throws IOException {
        String spec = """
                {
                  "schemaVersion": "1",
                  "recordId": "approvals:SG-2026-000123",
                  "domain": "APPROVAL",
                  "regionCode": "370783",
                  "department": {"code": "SGZRZY", "name": "寿光市自然资源局", "verticallyManaged": false},
                  "matter": {"code": "370700-XK-0012", "name": "建设工程规划许可证核发"},
                  "party": {"type": "ORG", "name": "寿光市某某置业有限公司",
                            "creditCode": "91350100M000100Y43", "idMasked": null, "idHash": null},
                  "amounts": [{"kind": "FEE", "value": "1200.00", "currency": "CNY"}],
                  "timeline": [
                    {"step": "RECEIVED",  "at": "2026-03-02T09:15:00+08:00", "actor": "窗口-张三"},
                    {"step": "ACCEPTED",  "at": "2026-03-02T10:02:11+08:00", "actor": null},
                    {"step": "DECIDED",   "at": "2026-03-09T16:40:00+08:00", "actor": "李四"},
                    {"step": "COMPLETED", "at": "2026-03-10T09:00:00+08:00", "actor": null}
                  ],
                  "limits": {"legalWorkingDays": 20, "promisedWorkingDays": 10},
                  "status": "COMPLETED",
                  "source": {"system": "approvals", "key": "SG-2026-000123",
                             "updatedAt": "2026-03-10T09:00:03+08:00",
                             "fetchedAt": "2026-03-10T09:01:00+08:00",
                             "payloadSha256": "%s"}
                }""".formatted(CanonicalFixtures.SPEC_EXAMPLE_SHA256);

        assertThat(CanonicalJson.mapper().readTree(CanonicalJson.write(CanonicalFixtures.specExample())))
                .isEqualTo(CanonicalJson.mapper().readTree(spec));
        assertThat(jsonErrors(spec)).isEmpty();
    }

    // ---- negative cases: JSON ----

    /**
     * A change to the spec example that breaks the contract; {@code javaRefuses}: the Java reader or
     * RecordValidator refuses it too (false only where the Java value is fine and just its text is not canonical).
     */
    record JsonCase(Consumer<ObjectNode> breakIt, boolean javaRefuses) {
    }

    static Stream<Arguments> brokenJson() {
        return Stream.of(
                json("amount with 3 fraction digits", r -> amount(r).put("value", "1200.000"), true),
                json("amount as a float", r -> amount(r).put("value", 1200.0), true),
                json("amount as a float with 2 digits", r -> amount(r).put("value", new BigDecimal("1200.00")), true),
                json("amount with 1 fraction digit", r -> amount(r).put("value", "1200.5"), true),
                json("amount without fraction", r -> amount(r).put("value", "1200"), true),
                json("amount with exponent", r -> amount(r).put("value", "1.2E3"), true),
                json("amount in USD", r -> amount(r).put("currency", "USD"), true),
                json("unknown amount kind", r -> amount(r).put("kind", "TIP"), true),
                json("same amount kind twice", r -> ((ArrayNode) r.get("amounts")).add(amount(r).deepCopy()), true),
                json("unknown domain", r -> r.put("domain", "FORESTRY"), true),
                json("missing recordId", r -> r.remove("recordId"), true),
                json("recordId without system", r -> r.put("recordId", "SG-2026-000123"), true),
                json("schemaVersion 2", r -> r.put("schemaVersion", "2"), true),
                json("schemaVersion as a number", r -> r.put("schemaVersion", 1), true),
                json("unknown region", r -> r.put("regionCode", "370799"), true),
                json("unknown status", r -> r.put("status", "DONE"), true),
                json("unknown field", r -> r.put("remark", "x"), true),
                json("party omitted instead of null", r -> r.remove("party"), false),
                json("lower-case department code", r -> obj(r, "department").put("code", "sgzrzy"), true),
                json("blank matter name", r -> obj(r, "matter").put("name", "  "), true),
                json("verticallyManaged null", r -> obj(r, "department").putNull("verticallyManaged"), true),
                json("credit code with a forbidden letter", r -> obj(r, "party").put("creditCode", "91350100M000100Y4O"), true),
                json("ORG with an ID hash", r -> obj(r, "party").put("idHash", "a".repeat(64)), true),
                json("PERSON with a clear ID", r -> obj(r, "party").put("type", "PERSON").putNull("creditCode")
                        .put("idMasked", "11010519491231002X").put("idHash", "a".repeat(64)), true),
                json("PERSON without a masked ID", r -> obj(r, "party").put("type", "PERSON").putNull("creditCode"), true),
                json("PERSON with a lower-case x", r -> obj(r, "party").put("type", "PERSON").putNull("creditCode")
                        .put("idMasked", "110105********002x").put("idHash", "a".repeat(64)), true),
                json("upper-case payload hash", r -> obj(r, "source").put("payloadSha256",
                        CanonicalFixtures.SPEC_EXAMPLE_SHA256.toUpperCase()), true),
                json("short payload hash", r -> obj(r, "source").put("payloadSha256", "9f2c"), true),
                json("time without offset", r -> step(r).put("at", "2026-03-02T09:15:00"), true),
                json("time with a space", r -> step(r).put("at", "2026-03-02 09:15:00+08:00"), true),
                json("timeline time with milliseconds", r -> step(r).put("at", "2026-03-02T09:15:00.5+08:00"), true),
                json("February 30", r -> step(r).put("at", "2026-02-30T09:15:00+08:00"), true),
                json("updatedAt with milliseconds", r -> obj(r, "source").put("updatedAt", "2026-03-10T09:00:03.250+08:00"), true),
                // The Java model is an OffsetDateTime: it reads these and writes them canonically; only the text is wrong.
                json("offset written as Z", r -> obj(r, "source").put("fetchedAt", "2026-03-10T01:01:00Z"), false),
                json("fetchedAt with microseconds", r -> obj(r, "source").put("fetchedAt", "2026-03-10T09:01:00.000001+08:00"), false),
                json("step twice", r -> ((ArrayNode) r.get("timeline")).add(step(r).deepCopy()), true),
                json("unknown step", r -> step(r).put("step", "ARCHIVED"), true),
                json("limits with both null", r -> obj(r, "limits").putNull("legalWorkingDays").putNull("promisedWorkingDays"), true),
                json("negative limit", r -> obj(r, "limits").put("legalWorkingDays", -1), true),
                json("fractional limit", r -> obj(r, "limits").put("legalWorkingDays", 20.5), true),
                json("limit as a string", r -> obj(r, "limits").put("legalWorkingDays", "20"), true));
    }

    @ParameterizedTest
    @MethodSource("brokenJson")
    void jsonSchemaRefuses(JsonCase c) throws IOException {
        ObjectNode json = (ObjectNode) CanonicalJson.mapper().readTree(CanonicalJson.write(CanonicalFixtures.specExample()));
        c.breakIt().accept(json);
        String text = CanonicalJson.mapper().writeValueAsString(json);

        assertThat(jsonErrors(text)).isNotEmpty();
        if (c.javaRefuses()) {
            assertThat(javaRefuses(text)).as("Java reader or RecordValidator refuses it too").isTrue();
        }
    }

    @Test
    void jsonErrorsNameTheField() {
        String json = CanonicalJson.write(CanonicalFixtures.specExample()).replace("\"1200.00\"", "\"1200.000\"");

        assertThat(jsonErrors(json)).extracting(m -> m.getInstanceLocation().toString()).contains("/amounts/0/value");
    }

    @Test
    void theJavaReaderRefusesAFloatAmount() {
        String json = CanonicalJson.write(CanonicalFixtures.specExample()).replace("\"1200.00\"", "1200.00");

        assertThatThrownBy(() -> CanonicalJson.read(json)).isInstanceOf(UncheckedIOException.class);
    }

    // ---- negative cases: XML ----

    static Stream<Arguments> brokenXml() {
        return Stream.of(
                xml("amount with 3 fraction digits", x -> x.replace("<value>1200.00<", "<value>1200.000<")),
                xml("amount as a float", x -> x.replace("<value>1200.00<", "<value>1200.0<")),
                xml("amount with exponent", x -> x.replace("<value>1200.00<", "<value>1.2E3<")),
                xml("amount in USD", x -> x.replace("<currency>CNY<", "<currency>USD<")),
                xml("same amount kind twice", x -> x.replace("</amount></amounts>",
                        "</amount><amount><kind>FEE</kind><value>1.00</value><currency>CNY</currency></amount></amounts>")),
                xml("unknown domain", x -> x.replace("<domain>APPROVAL<", "<domain>FORESTRY<")),
                xml("missing recordId", x -> x.replace("<recordId>approvals:SG-2026-000123</recordId>", "")),
                xml("unknown region", x -> x.replace("<regionCode>370783<", "<regionCode>370799<")),
                xml("unknown status", x -> x.replace("<status>COMPLETED<", "<status>DONE<")),
                xml("schemaVersion 2", x -> x.replace("<schemaVersion>1<", "<schemaVersion>2<")),
                xml("unknown element", x -> x.replace("<status>", "<remark>x</remark><status>")),
                xml("fields out of order", x -> x.replace("<domain>APPROVAL</domain><regionCode>370783</regionCode>",
                        "<regionCode>370783</regionCode><domain>APPROVAL</domain>")),
                xml("other namespace", x -> x.replace("urn:yingyan:canonical:v1", "urn:yingyan:canonical:v2")),
                xml("missing amounts wrapper", x -> x.replaceAll("<amounts>.*</amounts>", "")),
                xml("lower-case department code", x -> x.replace("<code>SGZRZY<", "<code>sgzrzy<")),
                xml("blank matter name", x -> x.replace("<name>建设工程规划许可证核发<", "<name> <")),
                xml("credit code with a forbidden letter", x -> x.replace("91350100M000100Y43", "91350100M000100Y4O")),
                xml("credit code and ID together", x -> x.replace("</creditCode>",
                        "</creditCode><idMasked>110105********002X</idMasked><idHash>" + "a".repeat(64) + "</idHash>")),
                xml("a clear ID", x -> x.replace("<creditCode>91350100M000100Y43</creditCode>",
                        "<idMasked>11010519491231002X</idMasked><idHash>" + "a".repeat(64) + "</idHash>")),
                xml("masked ID without hash", x -> x.replace("<creditCode>91350100M000100Y43</creditCode>",
                        "<idMasked>110105********002X</idMasked>")),
                xml("upper-case payload hash", x -> x.replace(CanonicalFixtures.SPEC_EXAMPLE_SHA256,
                        CanonicalFixtures.SPEC_EXAMPLE_SHA256.toUpperCase())),
                xml("time without offset", x -> x.replace("<at>2026-03-02T09:15:00+08:00<", "<at>2026-03-02T09:15:00<")),
                xml("offset written as Z", x -> x.replace("<fetchedAt>2026-03-10T09:01:00+08:00<", "<fetchedAt>2026-03-10T01:01:00Z<")),
                xml("timeline time with milliseconds", x -> x.replace("<at>2026-03-02T09:15:00+08:00<", "<at>2026-03-02T09:15:00.5+08:00<")),
                xml("February 30", x -> x.replace("<at>2026-03-02T09:15:00+08:00<", "<at>2026-02-30T09:15:00+08:00<")),
                xml("fetchedAt with microseconds", x -> x.replace("<fetchedAt>2026-03-10T09:01:00+08:00<",
                        "<fetchedAt>2026-03-10T09:01:00.000001+08:00<")),
                xml("step twice", x -> x.replace("</entry></timeline>",
                        "</entry><entry><step>RECEIVED</step><at>2026-03-11T09:00:00+08:00</at></entry></timeline>")),
                xml("unknown step", x -> x.replace("<step>RECEIVED<", "<step>ARCHIVED<")),
                xml("limits with neither limit", x -> x.replaceAll("<limits>.*</limits>", "<limits></limits>")),
                xml("negative limit", x -> x.replace("<legalWorkingDays>20<", "<legalWorkingDays>-1<")),
                xml("verticallyManaged missing", x -> x.replace("<verticallyManaged>false</verticallyManaged>", "")),
                xml("an external DTD", x -> x.replaceFirst("\\?>", "?><!DOCTYPE record SYSTEM \"http://example.invalid/record.dtd\">")));
    }

    @ParameterizedTest
    @MethodSource("brokenXml")
    void xsdRefuses(UnaryOperator<String> breakIt) {
        String valid = CanonicalXml.write(CanonicalFixtures.specExample());
        String broken = breakIt.apply(valid);

        assertThat(broken).as("the mutation applies").isNotEqualTo(valid);
        assertThat(xmlErrors(broken)).isNotEmpty();
    }

    // ---- helpers ----

    private static Arguments json(String name, Consumer<ObjectNode> breakIt, boolean javaRefuses) {
        return Arguments.of(Named.of(name, new JsonCase(breakIt, javaRefuses)));
    }

    private static Arguments xml(String name, UnaryOperator<String> breakIt) {
        return Arguments.of(Named.of(name, breakIt));
    }

    private static ObjectNode obj(ObjectNode r, String field) {
        return (ObjectNode) r.get(field);
    }

    private static ObjectNode amount(ObjectNode r) {
        return (ObjectNode) r.get("amounts").get(0);
    }

    private static ObjectNode step(ObjectNode r) {
        return (ObjectNode) r.get("timeline").get(0);
    }

    private static Set<ValidationMessage> jsonErrors(String json) {
        return jsonSchema.validate(json, InputFormat.JSON);
    }

    private static boolean javaRefuses(String json) {
        try {
            return !RecordValidator.check(CanonicalJson.read(json)).isEmpty();
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** Every XSD error in the document; external DTDs and schemas are never fetched. */
    private static List<String> xmlErrors(String xml) {
        List<String> errors = new ArrayList<>();
        Validator v = xsd.newValidator();
        try {
            v.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            v.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            v.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {
                }

                @Override
                public void error(SAXParseException e) {
                    errors.add(e.getMessage());
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            v.validate(new StreamSource(new StringReader(xml)));
        } catch (SAXException e) {
            errors.add(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return errors;
    }
}
