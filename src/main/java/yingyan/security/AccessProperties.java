package yingyan.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code hub.security.*} apart from the users (those are {@code hub.security.users}, bound by
 * {@link yingyan.config.HubProperties}): who may scrape Prometheus, and how failed logins are throttled.
 *
 * @param prometheusAnonymous {@code /actuator/prometheus} without a credential (the quick start); otherwise
 *                            it needs a user with the role METRICS (the scraper's credential,
 *                            docs/contracts/hub-api.md)
 * @param lockout             the brute-force lockout of HTTP Basic logins
 */
@ConfigurationProperties("hub.security")
@Validated
record AccessProperties(@DefaultValue("false") boolean prometheusAnonymous, @Valid @DefaultValue Lockout lockout) {

    /**
     * After {@code maxFailuresPerUser} failed logins for one user name (or {@code maxFailuresPerAddress} from
     * one client address) within {@code window}, every login of that name (address) is refused with 429 for
     * {@code lockFor}, without its password being checked. The counts live in the database (table
     * {@code login_lockout}), shared by every node. At most {@code maxTracked} names and addresses are counted
     * (least recently failed forgotten first; a lock in force is kept until it ends), so the state cannot be
     * grown without bound.
     *
     * @param enabled               the lockout at all (tests of other things may turn it off)
     * @param maxFailuresPerUser    failed logins of one user name within the window before it is locked
     * @param maxFailuresPerAddress failed logins from one client address (as a declared proxy names it) within
     *                              the window before it is locked
     * @param window                how long a failure counts
     * @param lockFor               how long a locked name or address is refused with 429
     * @param maxTracked            the most names and addresses counted at once (least recently failed forgotten)
     */
    record Lockout(@DefaultValue("true") boolean enabled,
                   @Min(1) @DefaultValue("5") int maxFailuresPerUser,
                   @Min(1) @DefaultValue("20") int maxFailuresPerAddress,
                   @DefaultValue("15m") Duration window,
                   @DefaultValue("15m") Duration lockFor,
                   @Min(10) @DefaultValue("10000") int maxTracked) {
    }
}
