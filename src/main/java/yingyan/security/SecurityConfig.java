package yingyan.security;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.transaction.PlatformTransactionManager;
import yingyan.config.HubProperties;
import yingyan.feed.FeedConsumers;
import yingyan.feed.FeedProperties;
import yingyan.feed.PersonGrants;

/**
 * HTTP Basic for people (VIEWER reads, OPERATOR acts, SUPERVISOR acknowledges alerts), feed consumers (CONSUMER)
 * and the Prometheus scraper (METRICS). Anonymous: health only (and the Prometheus scrape where {@code hub.security.prometheus-anonymous}
 * says so: the quick start). Every path needs a rule below: anything not named is denied to everyone, so a new
 * endpoint is closed until someone decides who may use it ({@code EndpointInventoryTest} lists them all).
 * People come from {@code hub.security.users}, feed consumers from {@code hub.feed.consumers} (role CONSUMER
 * only; their grants are checked by the feed, {@link FeedConsumers}); passwords come from the environment,
 * hashed here at start-up. Repeated failed logins lock the name and the address out ({@link LoginLockout}).
 * The console's page shell ({@code /console/**}: HTML, script, style, no data) is served to anyone: every
 * figure it shows comes from {@code /api/v1} with the signed-in person's credential. A state-changing request
 * a browser sends from another site is refused ({@link SameOriginWrites}).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {
    private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);

    /** bcrypt, with matches remembered for a minute (VerifiedPasswords: a feed consumer pages fast). */
    @Bean
    PasswordEncoder passwordEncoder() {
        return new VerifiedPasswords(PasswordEncoderFactories.createDelegatingPasswordEncoder(),
                Duration.ofMinutes(1), 1000, Clock.systemUTC());
    }

    @Bean
    UserDetailsService users(HubProperties hub, FeedConsumers consumers, PasswordEncoder encoder) {
        List<UserDetails> users = new ArrayList<>(hub.security().users().stream()
                .map(u -> User.withUsername(u.name())
                        .password(encoder.encode(u.password()))
                        .roles(u.roles().toArray(String[]::new))
                        .build())
                .toList());
        for (FeedProperties.Consumer c : consumers.all()) {
            users.add(User.withUsername(c.name()).password(encoder.encode(c.password())).roles("CONSUMER").build());
        }
        return new InMemoryUserDetailsManager(users);
    }

    @Bean
    LoginThrottle loginThrottle(AccessProperties access, MeterRegistry meters, JdbcTemplate jdbc,
                                PlatformTransactionManager transactions, HubProperties hub) {
        return new LoginThrottle(access.lockout(), Clock.systemUTC(), meters, jdbc, transactions,
                hub.personalData().hmacKey());
    }

    @Bean
    LoginLockout.Events loginEvents(LoginThrottle throttle) {
        return new LoginLockout.Events(throttle);
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, AccessProperties access, LoginThrottle throttle, PersonGrants grants)
            throws Exception {
        HubWide hubWide = new HubWide(grants);
        // First: a forged cross-site request is refused before its credential is even looked at.
        http.addFilterBefore(new SameOriginWrites(), BasicAuthenticationFilter.class);
        if (access.lockout().enabled()) {
            // Not a bean: as a bean Boot would also register it with the servlet container, running it twice.
            http.addFilterBefore(new LoginLockout(throttle), BasicAuthenticationFilter.class);
        }
        if (access.prometheusAnonymous()) {
            log.warn("/actuator/prometheus answers without a credential (hub.security.prometheus-anonymous=true)");
        }
        http.authorizeHttpRequests(a -> {
            // An error page rendered for a request already let through (or already refused).
            a.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
            a.requestMatchers("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")
                    .permitAll();
            if (access.prometheusAnonymous()) {
                a.requestMatchers("/actuator/prometheus").permitAll();
            } else {
                a.requestMatchers("/actuator/prometheus").hasRole("METRICS");
            }
            // The API description: shapes, no data, for anyone signed in (feed consumers integrate with it).
            a.requestMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml",
                    "/swagger-ui.html", "/swagger-ui/**").authenticated();
            a.requestMatchers(HttpMethod.GET, "/", "/console", "/console/", "/console/**").permitAll();
            // Who the console's signed-in person is and what they may do (their roles), for anyone signed in.
            a.requestMatchers(HttpMethod.GET, "/api/v1/me").authenticated();
            // Hub-wide views (they cannot be cut by region or department): the roles named, and never a person with
            // region or department grants (403; PersonGrants). Records, alerts and quality narrow to the grants.
            a
                        .requestMatchers(HttpMethod.GET, "/api/v1/feed", "/api/v1/alerts/feed")
                        .access(hubWide.roles("CONSUMER"))
                        // Alerts: people who read them; SUPERVISOR (acknowledging) reads them too.
                        .requestMatchers(HttpMethod.POST, "/api/v1/alerts/*/acknowledge").hasRole("SUPERVISOR")
                        .requestMatchers(HttpMethod.GET, "/api/v1/alerts/jobs")
                        .access(hubWide.roles("VIEWER", "OPERATOR", "SUPERVISOR"))
                        .requestMatchers(HttpMethod.GET, "/api/v1/alerts", "/api/v1/alerts/**",
                                "/api/v1/records/*/alerts").hasAnyRole("VIEWER", "OPERATOR", "SUPERVISOR")
                        .requestMatchers(HttpMethod.POST, "/api/v1/quarantine/*/release")
                        .access(hubWide.roles("OPERATOR"))
                        .requestMatchers(HttpMethod.GET, "/api/v1/records/**", "/api/v1/quality", "/api/v1/quality/**")
                        .hasAnyRole("VIEWER", "OPERATOR")
                        .requestMatchers(HttpMethod.GET, "/api/v1/quarantine/**", "/api/v1/adapters/**", "/api/v1/audit")
                        .access(hubWide.roles("VIEWER", "OPERATOR"))
                        .requestMatchers(HttpMethod.POST, "/api/v1/adapters/**").access(hubWide.roles("OPERATOR"))
                        .requestMatchers(HttpMethod.GET, "/api/v1/cluster").access(hubWide.roles("VIEWER", "OPERATOR"))
                        .requestMatchers(HttpMethod.GET, "/api/v1/province/**").access(hubWide.roles("VIEWER", "OPERATOR"))
                        .requestMatchers(HttpMethod.POST, "/api/v1/province/versions/*/resend",
                                "/api/v1/province/batches/*/retry", "/api/v1/province/batches/retry-failed")
                        .access(hubWide.roles("OPERATOR"))
                        .requestMatchers("/api/v1/province/**").denyAll()
                        .requestMatchers(HttpMethod.GET, "/api/v1/dead-letters").access(hubWide.roles("VIEWER", "OPERATOR"))
                        .requestMatchers(HttpMethod.POST, "/api/v1/dead-letters/*/requeue").access(hubWide.roles("OPERATOR"))
                        .requestMatchers(HttpMethod.GET, "/actuator", "/actuator/**")
                        .access(hubWide.roles("VIEWER", "OPERATOR"))
                        // Not named above: nobody, until a rule says who.
                        .anyRequest().denyAll();
        })
                .httpBasic(Customizer.withDefaults())
                // The console runs only its own script and style and talks only to this hub; no framing.
                .headers(h -> h.addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
                        PathPatternRequestMatcher.withDefaults().matcher("/console/**"),
                        new StaticHeadersWriter("Content-Security-Policy", "default-src 'none'; script-src 'self';"
                                + " style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none';"
                                + " form-action 'none'; frame-ancestors 'none'"))))
                // Spring's CSRF tokens need a session or a cookie and every client to fetch one first; this
                // stateless API refuses cross-site writes by their Origin / Fetch Metadata instead (SameOriginWrites).
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        return http.build();
    }
}
