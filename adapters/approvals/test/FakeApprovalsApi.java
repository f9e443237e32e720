package yingyan.adapters.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A stateful WireMock stub of the approvals API: answers {@code GET /api/cases} from a mutable case list
 * (with the contract's filtering, ordering and paging), and lets a test change the cases between two
 * requests, as the real system does while the hub pages. Stubs that use it name {@link #NAME}.
 */
final class FakeApprovalsApi implements ResponseDefinitionTransformerV2 {
    static final String NAME = "fake-approvals";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String apiKey;
    private final List<JsonNode> cases = new ArrayList<>();
    private int served;
    private BiConsumer<Integer, Request> beforeAnswer = (n, r) -> { };

    FakeApprovalsApi(String apiKey) {
        this.apiKey = apiKey;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    synchronized void reset() {
        cases.clear();
        served = 0;
        beforeAnswer = (n, r) -> { };
    }

    synchronized void add(JsonNode... items) {
        cases.addAll(List.of(items));
    }

    /** Replaces the case with this caseNo by a newer version, as an update in the source does. */
    synchronized void update(String caseNo, String updatedAt, String state) {
        update(caseNo, updatedAt, state, null, null);
    }

    /** The same, also setting one text field given by a JSON pointer ("/applicant/certNo"). */
    synchronized void update(String caseNo, String updatedAt, String state, String pointer, String value) {
        for (int i = 0; i < cases.size(); i++) {
            if (caseNo.equals(cases.get(i).path("caseNo").asText())) {
                ObjectNode newer = ((ObjectNode) cases.get(i)).deepCopy();
                newer.put("updatedAt", updatedAt).put("state", state);
                if (pointer != null) {
                    com.fasterxml.jackson.core.JsonPointer p = com.fasterxml.jackson.core.JsonPointer.compile(pointer);
                    ((ObjectNode) newer.at(p.head())).put(p.last().getMatchingProperty(), value);
                }
                cases.set(i, newer);
                return;
            }
        }
        throw new IllegalArgumentException("no case " + caseNo);
    }

    /** The cases as the source holds them now. */
    synchronized List<JsonNode> snapshot() {
        return List.copyOf(cases);
    }

    /** Runs before the fake answers its n-th request (1-based), inside the request. */
    synchronized void beforeAnswer(BiConsumer<Integer, Request> hook) {
        beforeAnswer = hook;
    }

    @Override
    public synchronized ResponseDefinition transform(ServeEvent event) {
        Request r = event.getRequest();
        beforeAnswer.accept(++served, r);
        String url = r.getUrl();
        String query = url.contains("?") ? url.substring(url.indexOf('?') + 1) : "";
        ApprovalsDemoServer.Answer a = ApprovalsDemoServer.answer(List.copyOf(cases), apiKey, r.getHeader("X-Api-Key"),
                query);
        try {
            return ResponseDefinitionBuilder.responseDefinition()
                    .withStatus(a.status())
                    .withHeader("Content-Type", "application/json; charset=UTF-8")
                    .withBody(JSON.writeValueAsBytes(a.body()))
                    .build();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid ORG case in 办结 unless changed. */
    static ObjectNode orgCase(String caseNo, String updatedAt) {
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

    static ObjectNode personCase(String caseNo, String updatedAt, String certNo) {
        ObjectNode c = orgCase(caseNo, updatedAt);
        c.putObject("applicant").put("kind", "自然人").put("name", "王某某").put("certNo", certNo);
        return c;
    }
}
