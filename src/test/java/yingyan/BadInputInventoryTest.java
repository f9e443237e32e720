package yingyan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Where the hub parses what comes from outside, found in the source rather than remembered: every XML
 * parser, every JSON reader and every request body. A new one fails this test until it is added here —
 * with a test that it refuses DOCTYPEs and external entities (XML) or reads with {@code JsonLimits} (JSON).
 * The "Bad input" table of docs/faults.md lists the outcome at each entry point.
 */
class BadInputInventoryTest {
    private static final Pattern XML_PARSER = Pattern.compile("XMLInputFactory\\.new|JAXBContext\\.newInstance"
            + "|DocumentBuilderFactory\\.new|SAXParserFactory\\.new|createUnmarshaller|TransformerFactory\\.new"
            + "|SchemaFactory\\.new|new XmlMapper|XMLReaderFactory|XMLInputFactory\\.newFactory");
    private static final Pattern JSON_READER = Pattern.compile("new ObjectMapper\\(|JsonMapper\\.builder\\("
            + "|new JsonFactory\\(|JsonFactory\\.builder\\(|new JsonMapper\\(");

    @Test
    void theXmlParsersAreTheKnownOnes() throws IOException {
        // SafeXml: land-transfer exports, local and SFTP alike (LandTransferFiles reads both through
        // ExportReader), and the land-transfer mapper (ExportReaderTest proves both refuse and fetch nothing).
        // CanonicalXml: the canonical record's XML form (CanonicalXmlTest).
        // PenaltiesEnvelopes: the demo SOAP service's side only (the hub's calls go through CXF); its JAXB
        // unmarshals DOM nodes SAAJ has already parsed from the loopback demo, never a stream of its own.
        assertThat(sourcesMatching(XML_PARSER)).containsExactlyInAnyOrder(
                "adapters/land-transfer/SafeXml.java", "src/main/java/yingyan/canonical/CanonicalXml.java",
                "adapters/penalties/PenaltiesEnvelopes.java");
    }

    @Test
    void everyJsonReaderIsBuiltFromJsonLimits() throws IOException {
        assertThat(sourcesMatching(JSON_READER)).containsExactly("src/main/java/yingyan/canonical/JsonLimits.java");
    }

    @Test
    void noEndpointTakesARequestBody() throws IOException {
        // The hub answers XML and CSV but accepts no body at all (JSON or XML): nothing to parse there. An
        // endpoint that takes one reads it with JsonLimits (JsonLimitsConfig) and needs its bad-input test.
        assertThat(sourcesMatching(Pattern.compile("@RequestBody|@RequestPart|HttpEntity<"))).isEmpty();
    }

    /**
     * Main source files (src/main/java and adapters/, without the adapters' test/ folders) whose text matches, as
     * paths from the project root.
     */
    private static List<String> sourcesMatching(Pattern p) throws IOException {
        try (Stream<Path> files = Stream.concat(Files.walk(Path.of("src/main/java")), Files.walk(Path.of("adapters")))) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.toString().replace('\\', '/').matches("adapters/[^/]+/test/.*")).filter(f -> {
                try {
                    return p.matcher(Files.readString(f)).find();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(f -> f.toString().replace('\\', '/')).sorted().toList();
        }
    }
}
