package yingyan.audit;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.util.UriUtils;

/**
 * Every action taken through the API (any request that is not a read) is written to the audit log once
 * it is answered: the signed-in person, the endpoint, the exact target, the HTTP status and what the
 * handler said came of it ({@link #note}). Being one interceptor, no new action can forget to audit.
 * Reads that hand out personal data ({@link PersonalDataRead} handlers) are written the same way, under the
 * annotation's action.
 */
@Configuration(proxyBeanMethods = false)
public class AuditInterceptor implements HandlerInterceptor, WebMvcConfigurer {
    private static final String NOTE = AuditInterceptor.class.getName() + ".note";
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final AuditLog log;

    AuditInterceptor(AuditLog log) {
        this.log = log;
    }

    /** Adds a human-readable outcome to the audit entry of the action being handled on this thread. */
    public static void note(String outcome) {
        RequestAttributes r = RequestContextHolder.getRequestAttributes();
        if (r != null) {
            r.setAttribute(NOTE, outcome, RequestAttributes.SCOPE_REQUEST);
        }
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/**");
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
                                Exception ex) {
        PersonalDataRead read = handler instanceof HandlerMethod m ? m.getMethodAnnotation(PersonalDataRead.class)
                : null;
        if (read == null && READS.contains(request.getMethod())) {
            return;
        }
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        String action = read != null ? read.value()
                : request.getMethod() + " " + (pattern == null ? request.getRequestURI() : pattern);
        String target = decoded(request.getRequestURI())
                + (request.getQueryString() == null ? "" : "?" + decoded(request.getQueryString()));
        StringBuilder outcome = new StringBuilder("HTTP ").append(response.getStatus());
        Object note = request.getAttribute(NOTE);
        if (note != null) {
            outcome.append(": ").append(note);
        } else if (ex != null) {
            outcome.append(": ").append(ex.getMessage());
        }
        log.record(action, target, outcome.toString());
    }

    /**
     * The target as a person reads it: percent-escapes decoded, so that the audit log's masking sees a resident
     * ID however the client escaped it. A malformed escape leaves the text as sent.
     */
    static String decoded(String s) {
        try {
            return UriUtils.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return s;
        }
    }
}
