package yingyan.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Cross-site request forgery protection without tokens. The hub is stateless HTTP Basic, and a browser that
 * once answered the Basic dialog sends that credential with any request to the hub, also one a page on another
 * site makes (a form posted, a fetch). A state-changing request (not GET, HEAD, OPTIONS, TRACE) is therefore
 * refused with 403, before authentication, when the browser says it comes from elsewhere:
 * <ol>
 *   <li>{@code Sec-Fetch-Site} (Fetch Metadata, set by the browser and not by a page) present: only
 *       {@code same-origin} and {@code none} (typed by the user) pass; {@code same-site} (a sibling host of the
 *       city's domain) and {@code cross-site} do not;</li>
 *   <li>otherwise {@code Origin} present: it must be this hub's own origin, scheme, host and port as the
 *       request reached the hub (through a trusted proxy: as the proxy received it); {@code null} and anything
 *       malformed are refused;</li>
 *   <li>neither header: not a browser, passes. The Fetch standard has browsers send {@code Origin} on every
 *       request whose method is not GET or HEAD (form posts included), so a missing Origin on a POST means a
 *       program: the CLI, a feed consumer, curl. Those hold their credential themselves and cannot be
 *       tricked by a page.</li>
 * </ol>
 * The rules are those of Go's {@code net/http.CrossOriginProtection} (Filippo Valsorda's "CSRF" analysis).
 * Tokens would make every non-browser client fetch one first and the stateless API keep them; the console's
 * {@code fetch} sends both headers by itself.
 */
final class SameOriginWrites extends OncePerRequestFilter {
    private static final Logger log = LoggerFactory.getLogger(SameOriginWrites.class);
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final String FETCH_SITE = "Sec-Fetch-Site";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String refusal = SAFE.contains(request.getMethod()) ? null : refusal(request);
        if (refusal == null) {
            chain.doFilter(request, response);
            return;
        }
        log.warn("cross-site {} {} refused: {}", request.getMethod(), request.getRequestURI(), refusal);
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,"
                + "\"detail\":\"cross-site request refused: " + refusal + "; state-changing requests from a browser"
                + " must come from the hub's own pages\"}");
    }

    /** Why this state-changing request is refused, or null when it may go on. */
    private static String refusal(HttpServletRequest request) {
        String site = request.getHeader(FETCH_SITE);
        if (site != null) {
            return site.equals("same-origin") || site.equals("none") ? null : FETCH_SITE + " is " + quoted(site);
        }
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin == null) {
            return null;
        }
        try {
            // Spring's own test of "another origin": scheme, host and port against the request's (default ports
            // filled in), the request as the trusted proxy's forwarded headers made it.
            return CorsUtils.isCorsRequest(request) ? "Origin " + quoted(origin) + " is not this hub" : null;
        } catch (IllegalArgumentException e) {
            return "Origin " + quoted(origin) + " is not an origin";
        }
    }

    /** A header value as shown in the answer and the log: cut and stripped of quotes and control characters. */
    private static String quoted(String value) {
        String v = value.length() > 100 ? value.substring(0, 100) + "…" : value;
        return "'" + v.replaceAll("[\\p{Cntrl}\"'\\\\]", "?") + "'";
    }
}
