package yingyan.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The brute-force brake on HTTP Basic. Before the password is checked: a request whose user name or client
 * address is locked out is answered 429 with {@code Retry-After}, its password never looked at (so the right
 * password during a lockout is refused too). After: Spring Security's authentication events feed
 * {@link LoginThrottle} (a wrong password or an unknown name counts; a success forgives the name).
 * The client address is the connection's, or the one a declared proxy names in {@code X-Forwarded-For}
 * (Tomcat's RemoteIpValve, {@code server.tomcat.remoteip.internal-proxies}); from anyone else that header is
 * ignored (anyone can send it).
 */
final class LoginLockout extends OncePerRequestFilter {
    private static final String BASIC = "basic ";

    private final LoginThrottle throttle;

    LoginLockout(LoginThrottle throttle) {
        this.throttle = throttle;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String user = basicUser(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (user != null) {
            Optional<Duration> wait = throttle.lockedFor(user, request.getRemoteAddr());
            if (wait.isPresent()) {
                long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
                response.setStatus(429);
                response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
                response.setContentType("application/problem+json");
                response.setCharacterEncoding("UTF-8");
                response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429,"
                        + "\"detail\":\"too many failed logins for this user name or from this address;"
                        + " try again in " + seconds + " s\"}");
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /** The user name of a Basic credential, or null when there is none (or it cannot be decoded). */
    static String basicUser(String header) {
        if (header == null || header.length() <= BASIC.length()
                || !header.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(BASIC.length()).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Feeds the throttle from Spring Security's authentication events (published synchronously). */
    static final class Events {
        private final LoginThrottle throttle;

        Events(LoginThrottle throttle) {
            this.throttle = throttle;
        }

        @EventListener
        void failed(AuthenticationFailureBadCredentialsEvent e) {
            String address = e.getAuthentication().getDetails() instanceof WebAuthenticationDetails d
                    ? d.getRemoteAddress() : null;
            throttle.failed(e.getAuthentication().getName(), address);
        }

        @EventListener
        void succeeded(AuthenticationSuccessEvent e) {
            throttle.succeeded(e.getAuthentication().getName());
        }
    }
}
