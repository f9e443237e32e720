package yingyan.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.stereotype.Component;

/**
 * Refuses to start outside the {@code demo} profile while any secret still has its demo value:
 * conf/ ships only demo defaults, real secrets come from the environment.
 */
@Component
class SecretGuard implements InitializingBean {
    static final String DEMO_MARK = "demo-only";

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

    @Override
    public void afterPropertiesSet() {
        boolean demo = Arrays.asList(env.getActiveProfiles()).contains("demo")
                || env.getActiveProfiles().length == 0 && Arrays.asList(env.getDefaultProfiles()).contains("demo");
        if (demo) {
            return;
        }
        List<String> defaults = new ArrayList<>();
        if (hub.personalData().hmacKey().contains(DEMO_MARK)) {
            defaults.add("hub.personal-data.hmac-key (set YINGYAN_ID_HMAC_KEY)");
        }
        if (hub.quarantine().key().contains(DEMO_MARK)) {
            defaults.add("hub.quarantine.key (set YINGYAN_QUARANTINE_KEY)");
        }
        for (HubProperties.User u : hub.security().users()) {
            if (u.password().contains(DEMO_MARK) || u.password().equals("demo") || u.password().equals(u.name())) {
                defaults.add("password of user '" + u.name() + "'");
            }
        }
        // Adapter and consumer secrets: any hub.* setting whose value still carries the demo mark.
        if (env instanceof ConfigurableEnvironment ce) {
            for (PropertySource<?> ps : ce.getPropertySources()) {
                if (ps instanceof EnumerablePropertySource<?> eps) {
                    for (String name : eps.getPropertyNames()) {
                        if (name.startsWith("hub.") && !name.startsWith("hub.security.users")
                                && !name.startsWith("hub.personal-data") && !name.startsWith("hub.quarantine")) {
                            String v = env.getProperty(name);
                            if (v != null && v.contains(DEMO_MARK) && !defaults.contains(name)
                                    && !disabledAdapterSetting(name)) {
                                defaults.add(name);
                            }
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
}
