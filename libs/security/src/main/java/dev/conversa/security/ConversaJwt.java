package dev.conversa.security;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.security.oauth2.jwt.Jwt;

/** Reads Conversa's claims from a Keycloak access token. */
public final class ConversaJwt {

    public static final String TENANT_CLAIM = "tenant_id";
    public static final String REALM_ACCESS_CLAIM = "realm_access";
    public static final String ROLES = "roles";

    private ConversaJwt() {
    }

    public static ConversaPrincipal principal(Jwt jwt) {
        return new ConversaPrincipal(jwt.getSubject(), jwt.getClaimAsString(TENANT_CLAIM), roles(jwt),
                jwt.getClaimAsString("preferred_username"));
    }

    /** Realm roles from {@code realm_access.roles}; unknown roles are ignored. */
    public static Set<Role> roles(Jwt jwt) {
        Map<String, Object> realmAccess = jwt.getClaimAsMap(REALM_ACCESS_CLAIM);
        if (realmAccess == null || !(realmAccess.get(ROLES) instanceof Collection<?> names)) {
            return Set.of();
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        names.stream().map(String::valueOf).map(Role::fromClaim).flatMap(java.util.Optional::stream)
                .forEach(roles::add);
        return roles;
    }

    static List<String> authorities(Jwt jwt) {
        return roles(jwt).stream().map(Role::authority).toList();
    }
}
