package yingyan.feed;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import yingyan.web.ForbiddenException;

/**
 * What one feed consumer may read. An empty optional means every value (granted {@code *}).
 *
 * @param regions granted region codes, or empty = all
 * @param domains granted domains, or empty = all
 */
public record FeedGrants(Optional<Set<String>> regions, Optional<Set<String>> domains) {
    public static final FeedGrants ALL = new FeedGrants(Optional.empty(), Optional.empty());

    static FeedGrants of(List<String> regions, List<String> domains) {
        return new FeedGrants(set(regions), set(domains));
    }

    private static Optional<Set<String>> set(List<String> values) {
        return values.contains(FeedProperties.ALL) ? Optional.empty() : Optional.of(new TreeSet<>(values));
    }

    /**
     * The values to read for a request filter: the filter itself when granted, all granted values when
     * there is none.
     *
     * @throws ForbiddenException when the filter asks for a value not granted
     */
    public static Optional<Set<String>> narrow(Optional<Set<String>> granted, String filter, String field, String who) {
        if (filter == null) {
            return granted;
        }
        if (granted.isPresent() && !granted.get().contains(filter)) {
            throw new ForbiddenException(field, "feed consumer '" + who + "' is not granted " + field + " '"
                    + filter + "' (granted: " + String.join(", ", granted.get()) + ")");
        }
        return Optional.of(Set.of(filter));
    }
}
