package yingyan.feed;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import yingyan.web.ForbiddenException;
import yingyan.web.QueryParams;

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
     * What a feed request with these {@code domain} / {@code regionCode} filters (each optional) reads: both
     * checked as {@link QueryParams} checks them, then narrowed within these grants.
     *
     * @throws ForbiddenException when a filter asks for a value not granted
     */
    public FeedGrants narrowTo(String domain, String regionCode, String who) {
        Optional<Set<String>> d = narrow(domains, QueryParams.domain(domain), "domain", who);
        Optional<Set<String>> r = narrow(regions, QueryParams.regionCode(regionCode), "regionCode", who);
        return new FeedGrants(r, d);
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
