package yingyan.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one hub node says of the cluster ({@code GET /api/v1/cluster}, docs/cluster.md): every node it knows,
 * its state ({@code UP} or {@code LOST}) and the singleton jobs it leads ({@code adapter:approvals},
 * {@code province-push}, …). Read as the test profile's viewer.
 */
public record ClusterView(String node, List<Node> nodes) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One node: its name, state and the jobs it leads. */
    public record Node(String name, String state, List<String> jobs) {
        public boolean up() {
            return "UP".equals(state);
        }
    }

    /** The view of the hub at {@code baseUrl}; fails with the status and body if it does not answer 200. */
    public static ClusterView of(String baseUrl) throws IOException {
        HttpResponse<String> r = Viewer.get(baseUrl, "/api/v1/cluster");
        if (r.statusCode() != 200) {
            throw new IOException("GET /api/v1/cluster answered " + r.statusCode() + ": " + r.body());
        }
        JsonNode json = JSON.readTree(r.body());
        List<Node> nodes = new ArrayList<>();
        for (JsonNode n : json.path("nodes")) {
            List<String> jobs = new ArrayList<>();
            n.path("jobs").forEach(j -> jobs.add(j.asText()));
            nodes.add(new Node(n.path("name").asText(), n.path("state").asText(), List.copyOf(jobs)));
        }
        return new ClusterView(json.path("node").asText(), List.copyOf(nodes));
    }

    /** The named node's jobs (none if the view does not list it). */
    public List<String> jobsOf(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst().map(Node::jobs).orElse(List.of());
    }

    /** The named node's state, "" if the view does not list it. */
    public String stateOf(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst().map(Node::state).orElse("");
    }

    /** Each job with the UP nodes that say they lead it (more than one would be two leaders at once). */
    public Map<String, List<String>> leaders() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Node n : nodes) {
            if (n.up()) {
                n.jobs().forEach(j -> out.computeIfAbsent(j, k -> new ArrayList<>()).add(n.name()));
            }
        }
        return out;
    }

    /** The UP node leading the most jobs. */
    public Node busiest() {
        return nodes.stream().filter(Node::up).max(Comparator.comparingInt(n -> n.jobs().size()))
                .orElseThrow(() -> new IllegalStateException("no node UP: " + this));
    }
}
