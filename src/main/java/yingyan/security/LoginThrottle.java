package yingyan.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import yingyan.canonical.ResidentIds;

/**
 * Failed-login bookkeeping per user name and per client address, with the lockout decision. Fixed windows:
 * the first failure opens a window of {@code window}; reaching the limit inside it locks the name (address)
 * for {@code lockFor} and starts counting afresh. A successful login clears its user name's count but not its
 * address's: otherwise one valid account would let an attacker reset the address count between guesses at
 * other names.
 *
 * <p>Bounded: one access-ordered map of at most {@code maxTracked} entries; the least recently seen entry is
 * forgotten first (a name under attack is seen at every attempt, so it stays). Names longer than
 * {@link #MAX_NAME} characters are cut, so a huge header cannot make an entry large.
 */
final class LoginThrottle {
    static final int MAX_NAME = 64;
    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

    private final AccessProperties.Lockout config;
    private final Clock clock;
    private final Map<String, Entry> entries;
    private final Counter failures;
    private final Counter userLockouts;
    private final Counter addressLockouts;
    private final Counter refused;

    private static final class Entry {
        int failures;
        Instant windowStart;
        Instant lockedUntil = Instant.MIN;
    }

    LoginThrottle(AccessProperties.Lockout config, Clock clock, MeterRegistry meters) {
        this.config = config;
        this.clock = clock;
        this.entries = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > config.maxTracked();
            }
        };
        failures = Counter.builder("yingyan.security.login.failures")
                .description("HTTP Basic logins refused for a wrong user name or password").register(meters);
        userLockouts = Counter.builder("yingyan.security.lockouts").tag("scope", "user")
                .description("user names or client addresses locked out after repeated failed logins").register(meters);
        addressLockouts = Counter.builder("yingyan.security.lockouts").tag("scope", "address")
                .description("user names or client addresses locked out after repeated failed logins").register(meters);
        refused = Counter.builder("yingyan.security.login.refused")
                .description("logins refused unchecked (429) while the user name or address was locked out")
                .register(meters);
        Gauge.builder("yingyan.security.lockout.tracked", this, LoginThrottle::tracked)
                .description("user names and addresses whose failed logins are being counted").register(meters);
    }

    /** How long this login must still wait, if its user name or its address is locked out. */
    synchronized Optional<Duration> lockedFor(String user, String address) {
        Instant now = clock.instant();
        Instant until = later(lockedUntil(userKey(user)), lockedUntil(addressKey(address)));
        if (until.isAfter(now)) {
            refused.increment();
            return Optional.of(Duration.between(now, until));
        }
        return Optional.empty();
    }

    /** A login failed (wrong password or unknown name): counts it, and locks out when a limit is reached. */
    synchronized void failed(String user, String address) {
        failures.increment();
        log.debug("failed login for user '{}' from {}", shown(user), address);
        if (count(userKey(user), config.maxFailuresPerUser())) {
            userLockouts.increment();
            log.warn("user '{}' locked out for {} after {} failed logins within {} (last from {})", shown(user),
                    config.lockFor(), config.maxFailuresPerUser(), config.window(), address);
        }
        if (address != null && count(addressKey(address), config.maxFailuresPerAddress())) {
            addressLockouts.increment();
            log.warn("client address {} locked out for {} after {} failed logins within {} (last as user '{}')",
                    address, config.lockFor(), config.maxFailuresPerAddress(), config.window(), shown(user));
        }
    }

    /** A login succeeded: its user name's failures are forgiven. */
    synchronized void succeeded(String user) {
        entries.remove(userKey(user));
    }

    synchronized int tracked() {
        return entries.size();
    }

    /** Forgets everything (tests). */
    synchronized void clear() {
        entries.clear();
    }

    private boolean count(String key, int limit) {
        Instant now = clock.instant();
        Entry e = entries.computeIfAbsent(key, k -> new Entry());
        if (e.windowStart == null || !now.isBefore(e.windowStart.plus(config.window()))) {
            e.windowStart = now;
            e.failures = 0;
        }
        e.failures++;
        if (e.failures >= limit) {
            e.lockedUntil = now.plus(config.lockFor());
            e.failures = 0;
            e.windowStart = null;
            return true;
        }
        return false;
    }

    private Instant lockedUntil(String key) {
        Entry e = key == null ? null : entries.get(key);
        return e == null ? Instant.MIN : e.lockedUntil;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static String userKey(String user) {
        String name = user == null ? "" : user;
        return "u:" + (name.length() > MAX_NAME ? name.substring(0, MAX_NAME) : name);
    }

    private static String addressKey(String address) {
        return address == null ? null : "a:" + address;
    }

    /** A user name as logged: cut, and masked in case someone typed a resident ID into the name field. */
    private static String shown(String user) {
        String name = user == null ? "" : user.length() > MAX_NAME ? user.substring(0, MAX_NAME) + "…" : user;
        return ResidentIds.maskAll(name);
    }
}
