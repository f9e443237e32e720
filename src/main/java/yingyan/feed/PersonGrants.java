package yingyan.feed;

import java.util.HashMap;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import yingyan.config.HubProperties;
import yingyan.web.Grants;

/**
 * What each person of {@code hub.security.users} may read: their regions and departments (hub-api.md, "people
 * get grants too"), as feed consumers have theirs ({@link FeedConsumers}). A person without grants, and every
 * caller who is not a configured person (a test's own user), reads everything; the security rules decide the
 * roles, these only narrow what a role reads. Checked at start by {@link HubProperties.User}'s validation.
 */
@Component
public class PersonGrants {
    private final Map<String, Grants> people = new HashMap<>();

    public PersonGrants(HubProperties hub) {
        for (HubProperties.User u : hub.security().users()) {
            people.put(u.name(), Grants.of(u.regions(), u.departments()));
        }
    }

    /** The grants of a signed-in caller; {@link Grants#ALL} for anyone without any. */
    public Grants of(Authentication caller) {
        return caller == null ? Grants.ALL : of(caller.getName());
    }

    public Grants of(String name) {
        return people.getOrDefault(name, Grants.ALL);
    }
}
