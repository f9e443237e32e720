package yingyan.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * HTTP Basic sends the password with every request, and checking it against a bcrypt hash costs tens of
 * milliseconds of CPU: a feed consumer paging 1 000 records per request would spend more on that than on
 * its records. This remembers, for a short time, that a password matched its stored hash: keyed by an
 * HMAC (a random key of this process) of password and hash, so neither the password nor a fast hash of
 * it is kept; only matches are remembered, so guessing still pays bcrypt on every attempt; a changed
 * password (a new stored hash) never matches an old entry. Bounded in size (least recently used go).
 */
final class VerifiedPasswords implements PasswordEncoder {
    private final PasswordEncoder delegate;
    private final long ttlMillis;
    private final Clock clock;
    private final SecretKeySpec key;
    private final Map<String, Long> verified;

    VerifiedPasswords(PasswordEncoder delegate, Duration ttl, int maxEntries, Clock clock) {
        this.delegate = delegate;
        this.ttlMillis = ttl.toMillis();
        this.clock = clock;
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        this.key = new SecretKeySpec(k, "HmacSHA256");
        this.verified = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > maxEntries;
            }
        };
    }

    @Override
    public String encode(CharSequence rawPassword) {
        return delegate.encode(rawPassword);
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        if (rawPassword == null || encodedPassword == null) {
            return delegate.matches(rawPassword, encodedPassword);
        }
        String k = fingerprint(rawPassword, encodedPassword);
        long now = clock.millis();
        synchronized (verified) {
            Long until = verified.get(k);
            if (until != null && until > now) {
                return true;
            }
        }
        boolean ok = delegate.matches(rawPassword, encodedPassword);
        if (ok) {
            synchronized (verified) {
                verified.put(k, now + ttlMillis);
            }
        }
        return ok;
    }

    @Override
    public boolean upgradeEncoding(String encodedPassword) {
        return delegate.upgradeEncoding(encodedPassword);
    }

    private String fingerprint(CharSequence raw, String encoded) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(raw.toString().getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(encoded.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
