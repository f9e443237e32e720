package yingyan.cluster;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/cluster}: every node, whether it is UP or LOST, and which jobs it leads (docs/api.md). With
 * the cluster off: this node alone, leading every job.
 */
@RestController
@Tag(name = "cluster", description = "The hub's nodes and the singleton jobs each one leads (role VIEWER)")
class ClusterController {
    private final LeaderElection election;
    private final ClusterNodes nodes;
    private final ClusterProperties props;

    ClusterController(LeaderElection election, ClusterNodes nodes, ClusterProperties props) {
        this.election = election;
        this.nodes = nodes;
        this.props = props;
    }

    @Operation(summary = "The nodes (name, host, startedAt, lastSeen, state UP or LOST, jobs led) and this node's name")
    @GetMapping("/api/v1/cluster")
    Map<String, Object> cluster() {
        Instant now = Instant.now();
        List<Map<String, Object>> list = new ArrayList<>();
        if (!election.enabled()) {
            list.add(node(election.node(), ClusterProperties.host(), election.startedAt(), now, "UP",
                    List.copyOf(election.led())));
        } else {
            for (ClusterNodes.Node n : nodes.all()) {
                boolean self = n.name().equals(election.node());
                String state = n.lastSeen().isBefore(now.minus(props.lostAfter())) ? "LOST" : "UP";
                // This node's own jobs from its memory (the row may be up to presence-interval old).
                List<String> jobs = self ? List.copyOf(election.led()) : "LOST".equals(state) ? List.of() : n.jobs();
                list.add(node(n.name(), n.host(), n.startedAt(), self ? now : n.lastSeen(), self ? "UP" : state,
                        jobs));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", election.enabled());
        out.put("node", election.node());
        out.put("nodes", list);
        return out;
    }

    private static Map<String, Object> node(String name, String host, Instant startedAt, Instant lastSeen,
                                            String state, List<String> jobs) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("name", name);
        n.put("host", host);
        n.put("startedAt", startedAt.truncatedTo(ChronoUnit.MILLIS).toString());
        n.put("lastSeen", lastSeen.truncatedTo(ChronoUnit.MILLIS).toString());
        n.put("state", state);
        n.put("jobs", jobs);
        return n;
    }
}
