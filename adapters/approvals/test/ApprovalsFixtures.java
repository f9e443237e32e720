package yingyan.adapters.approvals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import yingyan.spi.ExactJson;
import yingyan.spi.Payloads;
import yingyan.spi.SourceMapper;

/**
 * The approvals adapter's test data, and its package-private parts for tests elsewhere: the stand-in
 * approval system (testsupport.FakeApprovalsSystem) and the benchmark's floor.
 */
public final class ApprovalsFixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApprovalsFixtures() {
    }

    /** A valid ORG case in 在办 unless changed. */
    public static ObjectNode orgCase(String caseNo, String updatedAt) {
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.put("caseNo", caseNo).put("regionCode", "370783").put("deptCode", "sgzrzy").put("deptName", "寿光市自然资源局")
                .put("itemCode", "370700-XK-0012").put("itemName", "建设工程规划许可证核发");
        c.putObject("applicant").put("kind", "法人").put("name", "寿光市某某置业有限公司")
                .put("certNo", "91350100M000100Y43");
        c.put("receivedAt", "2026-03-02 09:15:00").putNull("acceptedAt").putNull("decidedAt").putNull("completedAt");
        c.putObject("handlers").put("received", "窗口-张三");
        c.put("legalLimit", 20).put("promisedLimit", 10).put("fee", "1200.00").put("state", "在办")
                .put("updatedAt", updatedAt);
        return c;
    }

    /** The same case applied for by a person with this resident ID. */
    public static ObjectNode personCase(String caseNo, String updatedAt, String certNo) {
        ObjectNode c = orgCase(caseNo, updatedAt);
        c.putObject("applicant").put("kind", "自然人").put("name", "王某某").put("certNo", certNo);
        return c;
    }

    /** Status and JSON body of one answer of the approvals API. */
    public record Answer(int status, byte[] body) {
    }

    /**
     * The approvals API's answer to {@code GET /api/cases?<rawQuery>} with {@code X-Api-Key: key}, over these
     * cases, exactly as the quick start's demo server gives it (the contract: 401, 400, paging and order).
     */
    public static Answer answer(List<JsonNode> cases, String expectedKey, String key, String rawQuery) {
        ApprovalsDemoServer.Answer a = ApprovalsDemoServer.answer(cases, expectedKey, key, rawQuery);
        try {
            return new Answer(a.status(), JSON.writeValueAsBytes(a.body()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static SourceMapper mapper() {
        return new ApprovalsMapper();
    }

    /** A page or an item as the adapter parses it (decimals exact). */
    public static JsonNode read(byte[] json) throws IOException {
        return ExactJson.read(json);
    }

    /** The item's bytes as the adapter hashes and submits them. */
    public static byte[] stable(JsonNode item) {
        return Payloads.stableJson(item);
    }
}
