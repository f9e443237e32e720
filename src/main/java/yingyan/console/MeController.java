package yingyan.console;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import yingyan.config.HubProperties;
import yingyan.web.Grants;

/**
 * {@code GET /api/v1/me}: who the credential belongs to, their roles and their grants. The console signs in with
 * it, shows an operator's actions only to an operator, and hides the hub-wide tabs (board, quarantine, province,
 * dead letters, audit) from a person with region or department grants (the server refuses them regardless).
 */
@RestController
@Tag(name = "me", description = "The signed-in person, roles and grants")
class MeController {
    private final HubProperties hub;

    MeController(HubProperties hub) {
        this.hub = hub;
    }

    @Operation(summary = "The signed-in person",
            description = "{\"name\", \"roles\": [...], \"grants\": {\"regions\": [codes] or \"*\", \"departments\":"
                    + " [system:code] or \"*\"}, \"hubWide\": false when grants limit the person (no quarantine,"
                    + " province, dead letters, audit, adapters)}")
    @GetMapping("/api/v1/me")
    Map<String, Object> me(Authentication who) {
        List<String> roles = who.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .filter(a -> a.startsWith("ROLE_")).map(a -> a.substring(5)).sorted().toList();
        Grants grants = hub.security().users().stream().filter(u -> u.name().equals(who.getName())).findFirst()
                .map(u -> Grants.of(u.regions(), u.departments())).orElse(Grants.ALL);
        Map<String, Object> granted = new LinkedHashMap<>();
        granted.put("regions", shown(grants.regions()));
        granted.put("departments", shown(grants.departments()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", who.getName());
        out.put("roles", roles);
        out.put("grants", granted);
        out.put("hubWide", !grants.limited());
        return out;
    }

    private static Object shown(Optional<Set<String>> values) {
        return values.<Object>map(List::copyOf).orElse(Grants.ALL_VALUES);
    }
}
