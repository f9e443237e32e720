package yingyan.security;

import java.util.ArrayList;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
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
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import yingyan.config.HubProperties;
import yingyan.feed.FeedConsumers;
import yingyan.feed.FeedProperties;

/**
 * HTTP Basic for people (VIEWER reads, OPERATOR acts) and feed consumers (CONSUMER). Anonymous:
 * health, the Prometheus scrape, the API description ({@code /v3/api-docs}, Swagger UI: shapes, no
 * data) and the console's page shell ({@code /console/**}: HTML, script, style; every figure it shows
 * comes from {@code /api/v1} with the signed-in person's credential). Every other actuator endpoint
 * needs VIEWER. People come from {@code hub.security.users}, feed consumers from {@code hub.feed.consumers}
 * (role CONSUMER only; their grants are checked by the feed, {@link FeedConsumers}); passwords come from
 * the environment, hashed here at start-up.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
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
    SecurityFilterChain api(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness",
                                "/actuator/prometheus").permitAll()
                        .requestMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml",
                                "/swagger-ui.html", "/swagger-ui/**").permitAll()
                        .requestMatchers(HttpMethod.GET, "/", "/console", "/console/", "/console/**").permitAll()
                        .requestMatchers(HttpMethod.GET, "/api/v1/feed").hasRole("CONSUMER")
                        .requestMatchers(HttpMethod.POST, "/api/v1/quarantine/*/release").hasRole("OPERATOR")
                        .requestMatchers(HttpMethod.GET, "/api/v1/records/**", "/api/v1/quarantine/**",
                                "/api/v1/adapters/**", "/api/v1/audit").hasAnyRole("VIEWER", "OPERATOR")
                        .requestMatchers(HttpMethod.POST, "/api/v1/adapters/**").hasRole("OPERATOR")
                        .requestMatchers(HttpMethod.GET, "/api/v1/province/**").hasAnyRole("VIEWER", "OPERATOR")
                        .requestMatchers(HttpMethod.POST, "/api/v1/province/versions/*/resend",
                                "/api/v1/province/batches/*/retry", "/api/v1/province/batches/retry-failed")
                        .hasRole("OPERATOR")
                        .requestMatchers("/api/v1/province/**").denyAll()
                        .requestMatchers("/actuator/**").hasAnyRole("VIEWER", "OPERATOR")
                        .anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults())
                // The console runs only its own script and style and talks only to this hub; no framing.
                .headers(h -> h.addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
                        PathPatternRequestMatcher.withDefaults().matcher("/console/**"),
                        new StaticHeadersWriter("Content-Security-Policy", "default-src 'none'; script-src 'self';"
                                + " style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none';"
                                + " form-action 'none'; frame-ancestors 'none'"))))
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        return http.build();
    }
}
