package yingyan.province;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * A WireMock transformer that answers a batch as the province would: every record accepted, except one
 * without a FEE amount, which is rejected E_FIELD naming the field. The answer depends only on the
 * request body, so a 409 stub with this transformer carries exactly the original 200 answer. A record
 * whose FEE is 7.77 is left out of both lists (a province breaking its own contract).
 */
class WireMockProvince implements ResponseDefinitionTransformerV2 {
    static final String NAME = "province";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        try {
            return ResponseDefinitionBuilder.like(event.getResponseDefinition())
                    .withHeader("Content-Type", "application/json")
                    .withBody(answer(event.getRequest().getBody()))
                    .build();
        } catch (Exception e) {
            return ResponseDefinitionBuilder.like(event.getResponseDefinition()).withStatus(400)
                    .withBody("{\"error\":\"bad JSON\"}").build();
        }
    }

    static String answer(byte[] body) throws java.io.IOException {
        JsonNode batch = JSON.readTree(body);
        ObjectNode out = JSON.createObjectNode();
        out.put("batchId", batch.get("batchId").asText());
        var accepted = out.putArray("accepted");
        var rejected = out.putArray("rejected");
        for (JsonNode r : batch.get("records")) {
            boolean hasFee = false;
            boolean forgotten = false;
            for (JsonNode a : r.path("amounts")) {
                hasFee |= "FEE".equals(a.path("kind").asText());
                forgotten |= "7.77".equals(a.path("value").asText());
            }
            if (forgotten) {
                continue;
            }
            if (hasFee) {
                accepted.add(r.get("recordId").asText());
            } else {
                rejected.addObject().put("recordId", r.get("recordId").asText()).put("code", "E_FIELD")
                        .put("reason", "amounts: a FEE amount is required");
            }
        }
        return out.toString();
    }
}
