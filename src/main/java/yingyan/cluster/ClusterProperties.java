package yingyan.cluster;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Running as one of several nodes ({@code hub.cluster.*}, docs/cluster.md). Off (the quick start, H2): nothing is
 * elected and this node runs every job. On (PostgreSQL only): each singleton job runs on the one node that holds
 * its lock in {@code INT_LOCK}.
 *
 * @param enabled          whether singleton jobs are leader-elected (YINGYAN_CLUSTER_ENABLED); needs PostgreSQL
 * @param nodeName         this node's name in the cluster (YINGYAN_NODE_NAME); empty: the host name
 * @param lockTtl          how long a leader's lock stays valid without a renewal; another node takes the job over
 *                         once it has expired. The leader itself stands down after half of it without a renewal
 * @param heartbeat        how often a leader renews its locks and a follower tries to take them (at most a third of
 *                         lock-ttl)
 * @param presenceInterval how often a node writes its presence row (name, host, jobs led) and applies operators'
 *                         stops and starts of the adapters it leads
 * @param lostAfter        a node whose presence row is older than this shows as LOST
 * @param singletonRoutes  further route ids that run on one node only, each under a leadership role of its own
 *                         (the adapters' sources, province-push, province-alert-push and retention always do)
 */
@ConfigurationProperties("hub.cluster")
public record ClusterProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("") String nodeName,
        @DefaultValue("10s") Duration lockTtl,
        @DefaultValue("2s") Duration heartbeat,
        @DefaultValue("5s") Duration presenceInterval,
        @DefaultValue("30s") Duration lostAfter,
        @DefaultValue({"supervision-clock", "supervision-follow"}) List<String> singletonRoutes) {

    public ClusterProperties {
        if (heartbeat.multipliedBy(3).compareTo(lockTtl) > 0) {
            throw new IllegalArgumentException("hub.cluster.heartbeat (" + heartbeat + ") must be at most a third of"
                    + " hub.cluster.lock-ttl (" + lockTtl + "): a leader renews its lock every heartbeat");
        }
        singletonRoutes = List.copyOf(singletonRoutes);
    }

    /** This node's name: hub.cluster.node-name, or the host name. */
    public String node() {
        return nodeName == null || nodeName.isBlank() ? host() : nodeName.trim();
    }

    /** The host this node runs on. */
    public static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
