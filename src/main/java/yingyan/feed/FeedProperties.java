package yingyan.feed;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;
import yingyan.canonical.Domain;
import yingyan.canonical.RegionCodes;

/**
 * {@code hub.feed.*}: the systems that pull the change feed ({@code GET /api/v1/feed}), each with its own
 * credential (password from the environment) and grants. {@code *} in {@code regions} or {@code domains}
 * grants all of them. A consumer gets the role CONSUMER and nothing else.
 *
 * @param consumers the feed consumers: name, password (from the environment), regions and domains it may read
 */
@ConfigurationProperties("hub.feed")
@Validated
public record FeedProperties(@Valid @DefaultValue List<Consumer> consumers) {
    public static final String ALL = "*";

    /**
     * @param name the HTTP Basic user name
     * @param password its password, from the environment ({@code ${ENV:demo-only-…}} in conf/)
     * @param regions region codes it may read (exact six-digit codes), or {@code *}
     * @param domains canonical domains it may read (APPROVAL, …), or {@code *}
     */
    public record Consumer(@NotBlank String name, @NotBlank String password, @NotEmpty List<String> regions,
                           @NotEmpty List<String> domains) {

        @AssertTrue(message = "regions must be '*' or known six-digit region codes")
        public boolean isRegionsValid() {
            return regions == null || regions.stream().allMatch(r -> ALL.equals(r) || RegionCodes.isKnown(r));
        }

        @AssertTrue(message = "domains must be '*' or canonical domains (APPROVAL, ...)")
        public boolean isDomainsValid() {
            return domains == null || domains.stream().allMatch(d -> ALL.equals(d) || isDomain(d));
        }

        private static boolean isDomain(String d) {
            try {
                Domain.valueOf(d);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        @Override
        public String toString() {
            // Never the password: this may end up in a log line.
            return "Consumer[" + name + ", regions=" + regions + ", domains=" + domains + "]";
        }
    }
}
