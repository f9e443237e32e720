package yingyan.security;

import java.util.function.Supplier;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import yingyan.feed.PersonGrants;

/**
 * The rule of a hub-wide view (quarantine, dead letters, province delivery, audit, adapters, the actuator, the
 * feeds, re-evaluation jobs): one of the roles, and no region or department grants. Such a view cannot be cut by
 * region or department, so a limited person gets 403 (the console hides those tabs, from {@code GET /api/v1/me}).
 */
final class HubWide {
    private final PersonGrants grants;

    HubWide(PersonGrants grants) {
        this.grants = grants;
    }

    AuthorizationManager<RequestAuthorizationContext> roles(String... roles) {
        AuthorityAuthorizationManager<RequestAuthorizationContext> role = AuthorityAuthorizationManager.hasAnyRole(roles);
        return new AuthorizationManager<>() {
            @Override
            @SuppressWarnings("deprecation") // the one abstract method of AuthorizationManager in Spring Security 6
            public AuthorizationDecision check(Supplier<Authentication> who, RequestAuthorizationContext context) {
                return new AuthorizationDecision(allowed(role.authorize(who, context), who));
            }

            @Override
            public AuthorizationResult authorize(Supplier<Authentication> who, RequestAuthorizationContext context) {
                return new AuthorizationDecision(allowed(role.authorize(who, context), who));
            }
        };
    }

    private boolean allowed(AuthorizationResult byRole, Supplier<Authentication> who) {
        return byRole != null && byRole.isGranted() && !grants.of(who.get()).limited();
    }
}
