package yingyan.supervision.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.Domain;
import yingyan.supervision.Input;
import yingyan.supervision.Level;

/**
 * schemas/alert/v1 agrees with the Java alert type: what the hub writes validates, a wrong alert does not, and
 * both schemas name exactly the fields of {@link Alert} in its order, with the same levels and domains.
 */
class AlertSchemaAgreementTest {
    private static final Path JSON_SCHEMA = Path.of("schemas/alert/v1/alert.schema.json");
    private static final Path XSD = Path.of("schemas/alert/v1/alert.xsd");

    private static List<String> fields() {
        return Arrays.stream(Alert.class.getRecordComponents()).map(c -> c.getName()).toList();
    }

    private static Alert example(boolean cleared) {
        return new Alert("a-3f2a9c0e4b7d4e1f8a6b5c4d3e2f1a0b", "PROMISED_OVERDUE", 1, Level.YELLOW,
                List.of("approvals:SG-2026-000123"), "370783", cleared ? null : "SGZRZY", Domain.APPROVAL,
                AlertFixtures.t("2026-03-17 00:00:00"), null, cleared ? AlertFixtures.t("2026-03-18 09:00:00") : null,
                false, cleared ? null : "9c1f", List.of(new Input("approvals:SG-2026-000123",
                AlertFixtures.t("2026-03-12 16:00:03"), "a".repeat(64))), "承诺时限 10 个工作日，已于 2026-03-16 届满，仍未办结");
    }

    @Test
    void whatTheHubWritesValidates_andAWrongAlertDoesNot() throws Exception {
        JsonSchema schema;
        try (InputStream in = Files.newInputStream(JSON_SCHEMA)) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in,
                    SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        }
        for (boolean cleared : new boolean[]{false, true}) {
            String json = CanonicalJson.write(example(cleared));
            assertThat(schema.validate(json, InputFormat.JSON)).as(json).isEmpty();
            assertThat(json).contains("\"raisedAt\":\"2026-03-17T00:00:00+08:00\"");
        }
        String wrong = CanonicalJson.write(example(false)).replace("\"YELLOW\"", "\"ORANGE\"");
        assertThat(schema.validate(wrong, InputFormat.JSON)).isNotEmpty();
        String missing = CanonicalJson.write(example(false)).replace("\"calendarMissing\":false,", "");
        assertThat(schema.validate(missing, InputFormat.JSON)).isNotEmpty();
    }

    @Test
    void bothSchemasNameTheFieldsLevelsAndDomainsOfTheJavaType() throws Exception {
        JsonNode s = CanonicalJson.mapper().readTree(JSON_SCHEMA.toFile());
        List<String> properties = new ArrayList<>();
        s.path("properties").fieldNames().forEachRemaining(properties::add);
        assertThat(properties).containsExactlyElementsOf(fields());
        assertThat(s.path("required").findValuesAsText("required")).isEmpty();
        List<String> required = new ArrayList<>();
        s.path("required").forEach(n -> required.add(n.asText()));
        assertThat(required).containsExactlyElementsOf(fields());
        List<String> levels = new ArrayList<>();
        s.path("properties").path("level").path("enum").forEach(n -> levels.add(n.asText()));
        assertThat(levels).containsExactly(Arrays.stream(Level.values()).map(Enum::name).toArray(String[]::new));
        List<String> domains = new ArrayList<>();
        s.path("properties").path("domain").path("enum").forEach(n -> domains.add(n.asText()));
        assertThat(domains).containsExactlyInAnyOrder(Arrays.stream(Domain.values()).map(Enum::name)
                .toArray(String[]::new));
        List<String> inputFields = new ArrayList<>();
        s.path("properties").path("inputs").path("items").path("properties").fieldNames()
                .forEachRemaining(inputFields::add);
        assertThat(inputFields).containsExactlyElementsOf(Arrays.stream(Input.class.getRecordComponents())
                .map(c -> c.getName()).toList());

        // A schema an XML validator accepts, with the same fields in the same order.
        javax.xml.validation.SchemaFactory.newInstance(javax.xml.XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(XSD.toFile());
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        var doc = f.newDocumentBuilder().parse(XSD.toFile());
        NodeList types = doc.getElementsByTagNameNS("http://www.w3.org/2001/XMLSchema", "complexType");
        List<String> xsdFields = new ArrayList<>();
        for (int i = 0; i < types.getLength(); i++) {
            Element t = (Element) types.item(i);
            if (t.getAttribute("name").equals("Alert")) {
                Element seq = (Element) t.getElementsByTagNameNS("http://www.w3.org/2001/XMLSchema", "sequence").item(0);
                for (var n = seq.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (n instanceof Element e && e.getLocalName().equals("element")) {
                        xsdFields.add(e.getAttribute("name"));
                    }
                }
            }
        }
        assertThat(xsdFields).containsExactlyElementsOf(fields());
    }
}
