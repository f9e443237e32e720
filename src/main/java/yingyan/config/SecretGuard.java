package yingyan.config;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.stereotype.Component;

/**
 * Refuses to start outside the {@code demo} profile while any secret still has its demo value:
 * conf/ ships only demo defaults, real secrets come from the environment. Only an active {@code demo} profile
 * (without {@code prod}) is the demo: a start with no profile is checked like any other. Covered: the resident-ID
 * HMAC key, the quarantine key and each of its previous keys (also refused shorter than {@value #MIN_KEY_LENGTH}
 * characters), every password of {@code hub.security.users} and {@code hub.feed.consumers} (also refused when it is {@code demo} or the
 * user's own name), and any other setting (adapter keys and passwords, the province secret, the database's
 * and broker's passwords) whose value carries the demo mark. Each is named by its property, never shown.
 */
@Component
class SecretGuard implements InitializingBean {
    static final String DEMO_MARK = "demo-only";
    static final int MIN_KEY_LENGTH = 16;
    /** A person's or a feed consumer's password, by property name. */
    private static final Pattern ACCOUNT_PASSWORD =
            Pattern.compile("(hub\\.security\\.users|hub\\.feed\\.consumers)\\[(\\d+)]\\.password");

    private final HubProperties hub;
    private final Environment env;

    SecretGuard(HubProperties hub, Environment env) {
        this.hub = hub;
        this.env = env;
    }

    /** A disabled adapter's secrets are never used, so they need no real value. */
    private boolean disabledAdapterSetting(String name) {
        if (!name.startsWith("hub.adapters.")) {
            return false;
        }
        String rest = name.substring("hub.adapters.".length());
        int dot = rest.indexOf('.');
        return dot > 0 && "false".equalsIgnoreCase(env.getProperty("hub.adapters." + rest.substring(0, dot) + ".enabled"));
    }

    private static boolean weakPassword(String password, String name) {
        return password.contains(DEMO_MARK) || password.equals("demo") || password.equals(name);
    }

    @Override
    public void afterPropertiesSet() {
        // Only a profile someone named: no profile (or demo as a default profile) is a start that forgot
        // SPRING_PROFILES_ACTIVE, and demo beside prod is a mistake, not the quick start.
        List<String> active = Arrays.asList(env.getActiveProfiles());
        if (active.contains("demo") && !active.contains("prod")) {
            return;
        }
        Set<String> defaults = new LinkedHashSet<>();
        if (hub.personalData().hmacKey().contains(DEMO_MARK)) {
            defaults.add("hub.personal-data.hmac-key (set YINGYAN_ID_HMAC_KEY)");
        }
        if (hub.quarantine().key().contains(DEMO_MARK)) {
            defaults.add("hub.quarantine.key (set YINGYAN_QUARANTINE_KEY)");
        } else if (hub.quarantine().key().length() < MIN_KEY_LENGTH) {
            defaults.add("hub.quarantine.key (shorter than " + MIN_KEY_LENGTH + " characters)");
        }
        // Retired keys still decrypt the entries they sealed: secrets like the current one.
        new TreeMap<>(hub.quarantine().previousKeys()).forEach((id, key) -> {
            if (key.contains(DEMO_MARK)) {
                defaults.add("hub.quarantine.previous-keys." + id + " (set YINGYAN_QUARANTINE_KEY_" + id + ")");
            } else if (key.length() < MIN_KEY_LENGTH) {
                defaults.add("hub.quarantine.previous-keys." + id + " (shorter than " + MIN_KEY_LENGTH + " characters)");
            }
        });
        List<HubProperties.User> users = hub.security().users();
        for (int i = 0; i < users.size(); i++) {
            HubProperties.User u = users.get(i);
            if (weakPassword(u.password(), u.name())) {
                defaults.add("hub.security.users[" + i + "].password (password of user '" + u.name() + "')");
            }
        }
        // Everything else: any hub.* setting, or any secret-looking setting, whose value still carries the demo
        // mark; and feed consumers' passwords that are "demo" or their own name.
        Set<String> seen = new HashSet<>();
        if (env instanceof ConfigurableEnvironment ce) {
            for (PropertySource<?> ps : ce.getPropertySources()) {
                if (ps instanceof EnumerablePropertySource<?> eps) {
                    for (String name : eps.getPropertyNames()) {
                        if (!seen.add(name) || name.startsWith("hub.security.users")
                                || name.startsWith("hub.personal-data") || name.startsWith("hub.quarantine")
                                || !(name.startsWith("hub.") || secretLooking(name)) || disabledAdapterSetting(name)) {
                            continue;
                        }
                        String v = env.getProperty(name);
                        if (v == null) {
                            continue;
                        }
                        Matcher account = ACCOUNT_PASSWORD.matcher(name);
                        if (account.matches()) {
                            String owner = env.getProperty(account.group(1) + "[" + account.group(2) + "].name", "");
                            if (weakPassword(v, owner)) {
                                defaults.add(name + " (password of '" + owner + "')");
                            }
                        } else if (v.contains(DEMO_MARK)) {
                            defaults.add(name);
                        }
                    }
                }
            }
        }
        if (!defaults.isEmpty()) {
            throw new IllegalStateException("Refusing to start outside the demo profile with default secrets: "
                    + String.join(", ", defaults) + ". Set them from the environment.");
        }
    }

    /** spring.datasource.password, spring.artemis.password and the like. */
    private static boolean secretLooking(String name) {
        String last = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return name.contains(".") && (last.contains("password") || last.contains("secret") || last.endsWith("key")
                || last.contains("token"));
    }
}
