package yingyan.province;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** The quick start's province answers as the contract says: signature, region, 200, 409, 422, E_FIELD. */
class DemoProvinceTest {
    static final String SECRET = "demo-province-test-secret";
    static final ObjectMapper JSON = new ObjectMapper();

    final DemoProvince province = new DemoProvince(props(), new MockEnvironment());

    static ProvinceProperties props() {
        return new ProvinceProperties(true, "http://127.0.0.1:1", SECRET, "370700", 500, 5_000_000, 20,
                java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1), 10, 5, java.time.Duration.ofSeconds(1), 0.05, 4);
    }

    static byte[] body(String batchId, String region, String... records) {
        return ("{\"batchId\":\"" + batchId + "\",\"region\":\"" + region + "\",\"records\":["
                + String.join(",", records) + "]}").getBytes(StandardCharsets.UTF_8);
    }

    static String record(String id, boolean withStatus) {
        return "{\"recordId\":\"" + id + "\",\"domain\":\"APPROVAL\",\"regionCode\":\"370700\",\"department\":{},"
                + "\"matter\":{}," + (withStatus ? "\"status\":\"OPEN\"," : "") + "\"source\":{}}";
    }

    @Test
    void acceptsValidRecordsRejectsAnIncompleteOneAndKeepsTheKey() throws Exception {
        byte[] b = body("b1", "370700", record("r1", true), record("r2", false));
        String sig = ProvinceSigner.sign(b, SECRET);

        DemoProvince.Answer first = province.answer(b, "370700", "b1", sig);
        assertThat(first.status()).isEqualTo(200);
        JsonNode a = JSON.readTree(first.body());
        assertThat(a.get("accepted").toString()).isEqualTo("[\"r1\"]");
        assertThat(a.get("rejected").get(0).get("recordId").asText()).isEqualTo("r2");
        assertThat(a.get("rejected").get(0).get("code").asText()).isEqualTo("E_FIELD");
        assertThat(a.get("rejected").get(0).get("reason").asText()).contains("status");

        DemoProvince.Answer again = province.answer(b, "370700", "b1", sig);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body()).isEqualTo(first.body());

        byte[] other = body("b1", "370700", record("r3", true));
        assertThat(province.answer(other, "370700", "b1", ProvinceSigner.sign(other, SECRET)).status()).isEqualTo(422);
    }

    @Test
    void refusesABadSignatureAWrongRegionAndTooManyRecords() {
        byte[] b = body("b2", "370700", record("r1", true));
        assertThat(province.answer(b, "370700", "b2", ProvinceSigner.sign(b, SECRET + "x")).status()).isEqualTo(400);
        assertThat(province.answer(b, "370700", "b2", null).status()).isEqualTo(400);
        assertThat(province.answer(b, "370783", "b2", ProvinceSigner.sign(b, SECRET)).status()).isEqualTo(400);
        String[] many = new String[501];
        java.util.Arrays.fill(many, record("r", true));
        byte[] big = body("b3", "370700", many);
        assertThat(province.answer(big, "370700", "b3", ProvinceSigner.sign(big, SECRET)).status()).isEqualTo(413);
        // A refused request keeps no key: the corrected one is answered normally.
        assertThat(province.answer(b, "370700", "b2", ProvinceSigner.sign(b, SECRET)).status()).isEqualTo(200);
    }

    @Test
    void takesAlertBatchesOnItsAlertEndpoint_answeringWithAlertIds() throws Exception {
        DemoProvince served = new DemoProvince(props(), new MockEnvironment().withProperty("hub.demo.province-port", "0"));
        served.afterPropertiesSet();
        try {
            ProvinceProperties to = new ProvinceProperties(true, "http://127.0.0.1:" + served.port(), SECRET, "370700",
                    500, 5_000_000, 20, java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1),
                    java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1),
                    10, 5, java.time.Duration.ofSeconds(1), 0.05, 4);
            String ok = "{\"alertId\":\"a-1\",\"rule\":\"PROMISED_OVERDUE\",\"ruleVersion\":1,\"level\":\"YELLOW\","
                    + "\"recordIds\":[\"approvals:SG-1\"],\"regionCode\":\"370783\",\"raisedAt\":\"2026-03-17T00:00:00+08:00\","
                    + "\"clearedAt\":null,\"inputs\":[]}";
            String noLevel = "{\"alertId\":\"a-2\",\"rule\":\"PROMISED_OVERDUE\",\"ruleVersion\":1,"
                    + "\"recordIds\":[],\"regionCode\":\"370783\",\"raisedAt\":\"2026-03-17T00:00:00+08:00\",\"inputs\":[]}";
            byte[] b = BatchFormer.body("370700-a1", "370700", "alerts", java.util.List.of(ok, noLevel));
            ProvinceClient client = new ProvinceClient(to, to.alertsUrl());

            ProvinceClient.Reply first = client.post("370700-a1", b);
            assertThat(first.status()).isEqualTo(200);
            JsonNode a = JSON.readTree(first.body());
            assertThat(a.get("accepted").toString()).isEqualTo("[\"a-1\"]");
            assertThat(a.get("rejected").get(0).get("alertId").asText()).isEqualTo("a-2");
            assertThat(a.get("rejected").get(0).get("reason").asText()).contains("level");
            ProvinceClient.Reply again = client.post("370700-a1", b);
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.body()).isEqualTo(first.body());
            // The record endpoint is still there, beside it, with keys of its own.
            byte[] r = body("370700-a1", "370700", record("r1", true));
            assertThat(new ProvinceClient(to).post("370700-a1", r).status()).isEqualTo(200);
        } finally {
            served.destroy();
        }
    }
}
