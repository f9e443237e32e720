package yingyan.province;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.RecordValidator;

/**
 * What the hub pushes and what it reads back agree with schemas/province/v1 (docs/contracts/province.md §1):
 * the body {@link BatchFormer#body} builds from stored records is a contract batch, the quick start's
 * province answers contract answers, and the signature example of the README is what {@link ProvinceSigner}
 * computes.
 */
class ProvinceSchemaAgreementTest {
    static final Path SCHEMAS = Path.of("schemas");
    static final ObjectMapper JSON = new ObjectMapper();
    static final String REGION = "370700";
    private static final String URN = "urn:yingyan:";

    static JsonSchema batch;
    static JsonSchema answer;

    @BeforeAll
    static void schemas() {
        // Schemas name each other by URN ($id); the repository's schemas/ folder holds them under the same path.
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                b -> b.schemaMappers(m -> m.mappings(iri -> iri.startsWith(URN)
                        ? SCHEMAS.resolve(iri.substring(URN.length()).replace(':', '/')).toAbsolutePath().toUri()
                        .toString() : null)));
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        batch = factory.getSchema(SchemaLocation.of("urn:yingyan:province:v1:batch.schema.json"), config);
        answer = factory.getSchema(SchemaLocation.of("urn:yingyan:province:v1:answer.schema.json"), config);
        batch.initializeValidators();
        answer.initializeValidators();
    }

    /**
     * Canonical records as the store keeps them ({@code CanonicalJson.write}): the county feed sample's records
     * and every record the approvals and housing-fund golden cases expect (given a fetch time, which the
     * golden files leave out).
     */
    static List<BatchFormer.Row> storedVersions() throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        JSON.readTree(Path.of("test-data/hub-feed/county-page/input.json").toFile()).path("items").forEach(nodes::add);
        for (String adapter : List.of("approvals", "housing-fund")) {
            try (Stream<Path> dirs = Files.list(Path.of("test-data", adapter))) {
                for (Path dir : dirs.sorted().toList()) {
                    JSON.readTree(dir.resolve("expected.json").toFile()).path("records").forEach(nodes::add);
                }
            }
        }
        List<BatchFormer.Row> rows = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode n : nodes) {
            ObjectNode source = (ObjectNode) n.get("source");
            if (!source.has("fetchedAt")) {
                source.put("fetchedAt", "2026-03-10T09:01:00.250+08:00");
            }
            CanonicalRecord r = CanonicalJson.read(n.toString());
            assertThat(RecordValidator.check(r)).as(r.recordId()).isEmpty();
            if (!seen.add(r.recordId())) {
                continue; // the same sample record in two golden cases: one version per record in a batch
            }
            rows.add(new BatchFormer.Row(rows.size() + 1, r.recordId(), CanonicalJson.write(r)));
        }
        return rows;
    }

    @Test
    void theBodyTheHubBuildsIsAContractBatch() throws IOException {
        List<BatchFormer.Row> rows = storedVersions();
        assertThat(rows).hasSizeGreaterThan(20);

        byte[] body = BatchFormer.body(BatchFormer.newBatchId(REGION), REGION, rows);

        assertThat(errors(batch, body)).isEmpty();
        JsonNode sent = JSON.readTree(body);
        assertThat(sent.get("region").asText()).isEqualTo(REGION);
        assertThat(sent.get("records")).hasSize(rows.size());
    }

    @Test
    void theBatchSchemaRefusesWhatTheProvinceRefuses() throws IOException {
        List<BatchFormer.Row> rows = storedVersions();
        List<BatchFormer.Row> tooMany = new ArrayList<>();
        while (tooMany.size() <= 500) {
            tooMany.addAll(rows);
        }
        String ok = new String(BatchFormer.body("b-1", REGION, rows.subList(0, 1)), StandardCharsets.UTF_8);

        assertThat(errors(batch, BatchFormer.body("b-1", REGION, tooMany.subList(0, 501)))).isNotEmpty();
        assertThat(errors(batch, BatchFormer.body("b-1", REGION, List.of()))).isNotEmpty();
        assertThat(errors(batch, bytes(ok.replace("\"region\":\"370700\"", "\"region\":\"3707\"")))).isNotEmpty();
        assertThat(errors(batch, bytes(ok.replace("\"amounts\":[", "\"amounts\":[{\"kind\":\"TIP\"},")))).isNotEmpty();
        assertThat(errors(batch, bytes(ok.replace("{\"batchId\"", "{\"remark\":\"x\",\"batchId\"")))).isNotEmpty();
    }

    @Test
    void theQuickStartProvinceAnswersAreContractAnswers() throws IOException {
        DemoProvince province = new DemoProvince(DemoProvinceTest.props(), new MockEnvironment());
        List<BatchFormer.Row> rows = storedVersions();
        String batchId = BatchFormer.newBatchId(REGION);
        byte[] body = BatchFormer.body(batchId, REGION, rows);
        String signature = ProvinceSigner.sign(body, DemoProvinceTest.SECRET);

        DemoProvince.Answer first = province.answer(body, REGION, batchId, signature);
        DemoProvince.Answer again = province.answer(body, REGION, batchId, signature);

        assertThat(first.status()).isEqualTo(200);
        assertThat(again.status()).isEqualTo(409);
        for (DemoProvince.Answer a : List.of(first, again)) {
            assertThat(errors(answer, a.body())).isEmpty();
            JsonNode json = JSON.readTree(a.body());
            assertThat(json.get("batchId").asText()).isEqualTo(batchId);
            // Every record of the batch in exactly one of the two lists.
            List<String> named = new ArrayList<>();
            json.get("accepted").forEach(id -> named.add(id.asText()));
            json.get("rejected").forEach(r -> named.add(r.get("recordId").asText()));
            assertThat(named).containsExactlyInAnyOrderElementsOf(rows.stream().map(BatchFormer.Row::recordId).toList());
        }
    }

    @Test
    void theAnswerSchemaRefusesARejectionWithoutCodeOrReason() {
        assertThat(errors(answer, bytes("{\"batchId\":\"b\",\"accepted\":[\"a:1\"],\"rejected\":[]}"))).isEmpty();
        assertThat(errors(answer, bytes("{\"batchId\":\"b\",\"accepted\":[],\"rejected\":[{\"recordId\":\"a:1\"}]}")))
                .isNotEmpty();
        assertThat(errors(answer, bytes("{\"batchId\":\"b\",\"accepted\":[\"a:1\"]}"))).isNotEmpty();
    }

    /** schemas/province/v1/README.md's worked example is what the hub signs, byte for byte. */
    @Test
    void theReadmeSignatureExampleIsWhatTheHubSends() throws IOException {
        String readme = Files.readString(SCHEMAS.resolve("province/v1/README.md"));
        String secret = line(readme, "secret");
        String body = line(readme, "body");
        String signature = line(readme, "X-Signature");

        assertThat(ProvinceSigner.sign(body.getBytes(StandardCharsets.UTF_8), secret)).isEqualTo(signature);
        assertThat(ProvinceSigner.matches(body.getBytes(StandardCharsets.UTF_8), secret, signature.toUpperCase()))
                .as("the province may compare case-insensitively; the hub sends lower case").isTrue();
    }

    private static String line(String text, String label) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(label) + ":\\s+(\\S+)\\s*$").matcher(text);
        assertThat(m.find()).as("README line '" + label + ": …'").isTrue();
        return m.group(1);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Set<ValidationMessage> errors(JsonSchema schema, byte[] json) {
        return schema.validate(new String(json, StandardCharsets.UTF_8), InputFormat.JSON);
    }
}
