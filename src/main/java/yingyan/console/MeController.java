package yingyan.console;

import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/me}: who the credential belongs to and their roles. The console signs in with it and
 * shows an operator's actions only to an operator (the server refuses them to anyone else regardless).
 */
@RestController
@Tag(name = "me", description = "The signed-in person and roles")
class MeController {

    @GetMapping("/api/v1/me")
    Map<String, Object> me(Authentication who) {
        List<String> roles = who.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .filter(a -> a.startsWith("ROLE_")).map(a -> a.substring(5)).sorted().toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", who.getName());
        out.put("roles", roles);
        return out;
    }
}
