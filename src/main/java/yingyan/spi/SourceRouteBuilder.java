package yingyan.spi;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;

/**
 * Base of every adapter's source route (Java DSL; the pipeline's routes are YAML in {@code routes/}). A source
 * route declares no error handling of its own: it names one of the route configurations in
 * {@code routes/*-errors.yaml}, the one place the hub's Camel error handling is declared (docs/routes.md).
 * A timer-polled adapter extends {@link PollingSourceRoute}; a drop-folder adapter starts each of its routes
 * with {@link #fromDropFolder}; a queue consumer with {@link #fromQueue}.
 */
public abstract class SourceRouteBuilder extends RouteBuilder {
    /** {@code routes/timer-errors.yaml}: the bean a timer calls reports its own failures and never throws. */
    public static final String TIMER_ERRORS = "timer-errors";
    /** {@code routes/drop-folder-errors.yaml}: a failure goes back to the file consumer; the file stays. */
    public static final String DROP_FOLDER_ERRORS = "drop-folder-errors";
    /** {@code routes/queue-errors.yaml}: a failure goes back to the queue's consumer; the message stays unacked. */
    public static final String QUEUE_ERRORS = "queue-errors";

    /**
     * The adapter whose source a route is, or null: {@code <id>-source} and the extra ones some adapters have for a
     * second transport ({@code land-transfer-sftp-source}, {@code procurement-source-sftp}): every route whose id
     * starts with {@code <id>-} and mentions {@code source}, the longest such adapter id winning ("land" must not
     * take "land-transfer-source"). The one rule the console's adapter control and the cluster's jobs share.
     */
    public static String adapterOf(String routeId, java.util.Collection<String> adapterIds) {
        if (!routeId.contains("source")) {
            return null;
        }
        String best = null;
        for (String a : adapterIds) {
            if (routeId.startsWith(a + "-") && (best == null || a.length() > best.length())) {
                best = a;
            }
        }
        return best;
    }

    /**
     * A route reading a drop folder or an SFTP drop box: id {@code routeId}, started with the hub only when
     * {@code enabled}, and a failure rolls the file back for a later poll ({@link #DROP_FOLDER_ERRORS}).
     */
    protected RouteDefinition fromDropFolder(String uri, String routeId, boolean enabled) {
        return from(uri).routeId(routeId).routeConfigurationId(DROP_FOLDER_ERRORS).autoStartup(enabled);
    }

    /**
     * A route consuming a department's message queue: id {@code routeId}, started with the hub only when
     * {@code enabled}; a failure goes back to the consumer, which leaves the message unacked for a later
     * delivery ({@link #QUEUE_ERRORS}).
     */
    protected RouteDefinition fromQueue(String uri, String routeId, boolean enabled) {
        return from(uri).routeId(routeId).routeConfigurationId(QUEUE_ERRORS).autoStartup(enabled);
    }
}
