package yingyan.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/** A password that matched is not checked with bcrypt again for a while; nothing else is remembered. */
class VerifiedPasswordsTest {
    private final PasswordEncoder bcrypt = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    private final AtomicInteger checks = new AtomicInteger();
    private final PasswordEncoder counting = new PasswordEncoder() {
        @Override
        public String encode(CharSequence raw) {
            return bcrypt.encode(raw);
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            checks.incrementAndGet();
            return bcrypt.matches(raw, encoded);
        }
    };
    private Instant now = Instant.parse("2026-11-28T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final VerifiedPasswords passwords = new VerifiedPasswords(counting, Duration.ofMinutes(1), 2, clock);

    @Test
    void aMatchIsRememberedUntilItExpires() {
        String hash = passwords.encode("feed-secret");
        assertThat(passwords.matches("feed-secret", hash)).isTrue();
        assertThat(passwords.matches("feed-secret", hash)).isTrue();
        assertThat(checks).hasValue(1);
        now = now.plusSeconds(61);
        assertThat(passwords.matches("feed-secret", hash)).isTrue();
        assertThat(checks).hasValue(2);
    }

    @Test
    void aWrongPasswordIsCheckedEveryTimeAndNeverMatches() {
        String hash = passwords.encode("feed-secret");
        assertThat(passwords.matches("feed-secret", hash)).isTrue();
        assertThat(passwords.matches("guess", hash)).isFalse();
        assertThat(passwords.matches("guess", hash)).isFalse();
        assertThat(checks).hasValue(3);
    }

    @Test
    void aChangedPasswordHashDoesNotMatchTheOldPassword() {
        String old = passwords.encode("old-secret");
        assertThat(passwords.matches("old-secret", old)).isTrue();
        String changed = passwords.encode("new-secret");
        assertThat(passwords.matches("old-secret", changed)).isFalse();
        assertThat(passwords.matches("new-secret", changed)).isTrue();
    }
}
