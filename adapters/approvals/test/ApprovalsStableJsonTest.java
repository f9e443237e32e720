package yingyan.adapters.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import yingyan.spi.ExactJson;
import yingyan.spi.Payloads;

/** The serialisation hashed for payloadSha256, as adapters/approvals/README.md documents it. */
class ApprovalsStableJsonTest {

    @Test
    void keysSortedAtEveryLevelNoWhitespaceUtf8AndDecimalsAsWritten() throws Exception {
        String item = "{ \"state\": \"办结\", \"fee\": 1200.50, \"caseNo\": \"SG-1\",\n"
                + "  \"applicant\": {\"name\": \"某\\\"公司\", \"kind\": \"法人\"}, \"legalLimit\": 20, \"x\": [3, 1e3, null] }";
        String stable = new String(Payloads.stableJson(ExactJson.read(item.getBytes(StandardCharsets.UTF_8))),
                StandardCharsets.UTF_8);
        assertThat(stable).isEqualTo("{\"applicant\":{\"kind\":\"法人\",\"name\":\"某\\\"公司\"},\"caseNo\":\"SG-1\","
                + "\"fee\":1200.50,\"legalLimit\":20,\"state\":\"办结\",\"x\":[3,1E+3,null]}");
    }

    @Test
    void sameContentSameHashAnyChangedFieldAnotherHash() throws Exception {
        String a = "{\"caseNo\":\"SG-1\",\"fee\":\"1200.00\",\"updatedAt\":\"2026-03-10 09:00:03\"}";
        String reordered = "{ \"updatedAt\" : \"2026-03-10 09:00:03\", \"fee\": \"1200.00\", \"caseNo\": \"SG-1\" }";
        String changed = "{\"caseNo\":\"SG-1\",\"fee\":\"1200.01\",\"updatedAt\":\"2026-03-10 09:00:03\"}";
        assertThat(hash(reordered)).isEqualTo(hash(a));
        assertThat(hash(changed)).isNotEqualTo(hash(a));
        assertThat(hash("{\"fee\":1200.5}")).isNotEqualTo(hash("{\"fee\":1200.50}"));
    }

    private static String hash(String json) throws Exception {
        return Payloads.sha256(Payloads.stableJson(ExactJson.read(json.getBytes(StandardCharsets.UTF_8))));
    }
}
