package yingyan.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;
import yingyan.canonical.ResidentIds;

/**
 * Failed-login bookkeeping per user name and per client address, with the lockout decision. Fixed windows:
 * the first failure opens a window of {@code window}; reaching the limit inside it locks the name (address)
 * for {@code lockFor} and starts counting afresh. A successful login clears its user name's count but not its
 * address's: otherwise one valid account would let an attacker reset the address count between guesses at
 * other names.
 *
 * <p>Kept in the database (table {@code login_lockout}, Flyway V10), not in this node's memory: every node of a
 * cluster reads and counts the same rows, so spreading guesses over the nodes gains nothing, and a restart
 * forgets nothing. A count is changed under its row's lock ({@code SELECT … FOR UPDATE}), so concurrent
 * failures on several nodes are all counted. User names are stored as an HMAC (the hub's resident-ID key),
 * never in clear. Bounded: rows whose window and lock have ended are deleted, and beyond {@code maxTracked}
 * counting rows the least recently failed go (a name under attack keeps failing, so it stays; a lock in force
 * is never dropped). Names longer than {@link #MAX_NAME} characters are cut. Should the database be away, the
 * brake fails open (the password is still checked) rather than refusing every login.
 */
final class LoginThrottle {
    static final int MAX_NAME = 64;
    private static final int MAX_ADDRESS = 100;
    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

    private final AccessProperties.Lockout config;
    private final Clock clock;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final SecretKeySpec nameKey;
    private final AtomicLong lastOutageLog = new AtomicLong();
    private final Counter failures;
    private final Counter userLockouts;
    private final Counter addressLockouts;
    private final Counter refused;

    /** One subject's row as read under its lock. */
    private record Row(int failures, Instant windowStart, Instant lockedUntil) {
    }

    LoginThrottle(AccessProperties.Lockout config, Clock clock, MeterRegistry meters, JdbcTemplate jdbc,
                  PlatformTransactionManager transactions, String nameKey) {
        this.config = config;
        this.clock = clock;
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.nameKey = new SecretKeySpec(("login-lockout:" + nameKey).getBytes(StandardCharsets.UTF_8),
                "HmacSHA256");
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
    Optional<Duration> lockedFor(String user, String address) {
        Instant now = clock.instant();
        OffsetDateTime until;
        try {
            until = address == null
                    ? jdbc.queryForObject("SELECT max(locked_until) FROM login_lockout WHERE subject = ?",
                            OffsetDateTime.class, userKey(user))
                    : jdbc.queryForObject("SELECT max(locked_until) FROM login_lockout WHERE subject IN (?, ?)",
                            OffsetDateTime.class, userKey(user), addressKey(address));
        } catch (DataAccessException | TransactionException e) {
            outage(e);
            return Optional.empty();
        }
        if (until != null && until.toInstant().isAfter(now)) {
            refused.increment();
            return Optional.of(Duration.between(now, until.toInstant()));
        }
        return Optional.empty();
    }

    /** A login failed (wrong password or unknown name): counts it, and locks out when a limit is reached. */
    void failed(String user, String address) {
        failures.increment();
        log.debug("failed login for user '{}' from {}", shown(user), address);
        try {
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
            prune();
        } catch (DataAccessException | TransactionException e) {
            outage(e);
        }
    }

    /** A login succeeded: its user name's failures are forgiven. */
    void succeeded(String user) {
        try {
            jdbc.update("DELETE FROM login_lockout WHERE subject = ?", userKey(user));
        } catch (DataAccessException | TransactionException e) {
            outage(e);
        }
    }

    /** Names and addresses with failures counting or a lock in force. */
    int tracked() {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM login_lockout", Integer.class);
        return n == null ? 0 : n;
    }

    /** Forgets everything (tests). */
    void clear() {
        jdbc.update("DELETE FROM login_lockout");
    }

    /** Counts one failure of the subject; true when it reached the limit (the subject is now locked). */
    private boolean count(String key, int limit) {
        try {
            return Boolean.TRUE.equals(tx.execute(s -> countLocked(key, limit)));
        } catch (DuplicateKeyException e) {
            // Another node inserted this subject's first row at the same moment: count on its row.
            return Boolean.TRUE.equals(tx.execute(s -> countLocked(key, limit)));
        }
    }

    private boolean countLocked(String key, int limit) {
        Instant now = clock.instant();
        List<Row> rows = jdbc.query("SELECT failures, window_start, locked_until FROM login_lockout"
                        + " WHERE subject = ? FOR UPDATE",
                (rs, i) -> new Row(rs.getInt(1), instant(rs.getObject(2, OffsetDateTime.class)),
                        instant(rs.getObject(3, OffsetDateTime.class))), key);
        Row row = rows.isEmpty() ? new Row(0, null, null) : rows.get(0);
        int n = row.failures();
        Instant windowStart = row.windowStart();
        Instant lockedUntil = row.lockedUntil();
        if (windowStart == null || !now.isBefore(windowStart.plus(config.window()))) {
            windowStart = now;
            n = 0;
        }
        n++;
        boolean locks = n >= limit;
        if (locks) {
            lockedUntil = now.plus(config.lockFor());
            n = 0;
            windowStart = null;
        }
        if (rows.isEmpty()) {
            jdbc.update("INSERT INTO login_lockout (subject, failures, window_start, locked_until, last_seen)"
                    + " VALUES (?, ?, ?, ?, ?)", key, n, time(windowStart), time(lockedUntil), time(now));
        } else {
            jdbc.update("UPDATE login_lockout SET failures = ?, window_start = ?, locked_until = ?, last_seen = ?"
                    + " WHERE subject = ?", n, time(windowStart), time(lockedUntil), time(now), key);
        }
        return locks;
    }

    /**
     * Deletes what no longer counts (window and lock both over), then, beyond maxTracked, the least recently
     * failed subjects that are not locked. Runs after failures only: only failures add rows.
     */
    private void prune() {
        Instant now = clock.instant();
        Duration longest = config.window().compareTo(config.lockFor()) > 0 ? config.window() : config.lockFor();
        jdbc.update("DELETE FROM login_lockout WHERE last_seen < ? AND (locked_until IS NULL OR locked_until <= ?)",
                time(now.minus(longest)), time(now));
        List<OffsetDateTime> cutoff = jdbc.queryForList("SELECT last_seen FROM login_lockout"
                + " WHERE locked_until IS NULL OR locked_until <= ? ORDER BY last_seen DESC OFFSET ? ROWS"
                + " FETCH FIRST 1 ROWS ONLY", OffsetDateTime.class, time(now), config.maxTracked());
        if (!cutoff.isEmpty()) {
            jdbc.update("DELETE FROM login_lockout WHERE last_seen <= ? AND (locked_until IS NULL OR locked_until <= ?)",
                    cutoff.get(0), time(now));
        }
    }

    /** The database is away: logins are checked by password alone until it is back (logged once a minute). */
    private void outage(RuntimeException e) {
        long now = clock.millis();
        long last = lastOutageLog.get();
        if (now - last >= 60_000 && lastOutageLog.compareAndSet(last, now)) {
            log.warn("login lockout unavailable, passwords still checked: {}", e.getMessage());
        }
    }

    private static OffsetDateTime time(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private String userKey(String user) {
        String name = user == null ? "" : user;
        name = name.length() > MAX_NAME ? name.substring(0, MAX_NAME) : name;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(nameKey);
            return "u:" + HexFormat.of().formatHex(mac.doFinal(name.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String addressKey(String address) {
        return address == null ? null
                : "a:" + (address.length() > MAX_ADDRESS ? address.substring(0, MAX_ADDRESS) : address);
    }

    /** A user name as logged: cut, and masked in case someone typed a resident ID into the name field. */
    private static String shown(String user) {
        String name = user == null ? "" : user.length() > MAX_NAME ? user.substring(0, MAX_NAME) + "…" : user;
        return ResidentIds.maskAll(name);
    }
}
