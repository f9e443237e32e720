package yingyan.feed;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import yingyan.config.HubProperties;

/**
 * Who may read the feed, and what. Consumers from {@code hub.feed.consumers} read what they were granted;
 * a person of {@code hub.security.users} with the role CONSUMER (in the quick start: {@code demo}) reads
 * everything. A name may not be both a consumer and a person: the hub refuses to start.
 */
@Component
public class FeedConsumers {
    static final String ROLE = "CONSUMER";

    private final Map<String, FeedProperties.Consumer> consumers = new LinkedHashMap<>();

    public FeedConsumers(FeedProperties feed, HubProperties hub) {
        for (FeedProperties.Consumer c : feed.consumers()) {
            if (consumers.put(c.name(), c) != null) {
                throw new IllegalStateException("hub.feed.consumers names '" + c.name() + "' twice");
            }
            if (hub.security().users().stream().anyMatch(u -> u.name().equals(c.name()))) {
                throw new IllegalStateException("'" + c.name() + "' is both a feed consumer (hub.feed.consumers)"
                        + " and a user (hub.security.users); give the consumer a name of its own");
            }
        }
    }

    public Iterable<FeedProperties.Consumer> all() {
        return consumers.values();
    }

    /** The grants of an authenticated caller (who has the role CONSUMER: the security filter checked that). */
    public FeedGrants grantsOf(Authentication caller) {
        FeedProperties.Consumer c = consumers.get(caller.getName());
        if (c == null) {
            return FeedGrants.ALL; // a person with the role CONSUMER
        }
        return FeedGrants.of(c.regions(), c.domains());
    }
}
