package dev.conversa.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;

class ConversaJwtTest {

    @Test
    void rolesMapsKnownRealmRolesAndIgnoresUnknownOnes() {
        Jwt jwt = token().claim("realm_access",
                Map.of("roles", List.of("admin", "offline_access", "agent", "default-roles-conversa"))).build();

        assertThat(ConversaJwt.roles(jwt)).containsExactlyInAnyOrder(Role.ADMIN, Role.AGENT);
    }

    @Test
    void rolesMatchesRoleNamesRegardlessOfCase() {
        Jwt jwt = token().claim("realm_access", Map.of("roles", List.of("SUPERVISOR", "Bot", "service"))).build();

        assertThat(ConversaJwt.roles(jwt)).containsExactlyInAnyOrder(Role.SUPERVISOR, Role.BOT, Role.SERVICE);
    }

    @Test
    void rolesIsEmptyWhenRealmAccessClaimIsMissing() {
        Jwt jwt = token().build();

        assertThat(ConversaJwt.roles(jwt)).isEmpty();
    }

    @Test
    void rolesIsEmptyWhenRealmAccessHasNoRolesList() {
        assertThat(ConversaJwt.roles(token().claim("realm_access", Map.of()).build())).isEmpty();
        assertThat(ConversaJwt.roles(token().claim("realm_access", Map.of("roles", "admin")).build())).isEmpty();
    }

    @Test
    void rolesIsEmptyWhenOnlyUnknownRolesAreGranted() {
        Jwt jwt = token().claim("realm_access", Map.of("roles", List.of("uma_authorization", "offline_access")))
                .build();

        assertThat(ConversaJwt.roles(jwt)).isEmpty();
    }

    @Test
    void authoritiesArePrefixedRoleNames() {
        Jwt jwt = token().claim("realm_access", Map.of("roles", List.of("supervisor", "nobody"))).build();

        assertThat(ConversaJwt.authorities(jwt)).containsExactly("ROLE_SUPERVISOR");
    }

    @Test
    void principalReadsSubjectTenantUsernameAndRoles() {
        Jwt jwt = token()
                .subject("7c9e6679-7425-40de-944b-e07fc1f90ae7")
                .claim("tenant_id", "tenant-a")
                .claim("preferred_username", "ana")
                .claim("realm_access", Map.of("roles", List.of("agent")))
                .build();

        ConversaPrincipal principal = ConversaJwt.principal(jwt);

        assertThat(principal.userId()).isEqualTo("7c9e6679-7425-40de-944b-e07fc1f90ae7");
        assertThat(principal.tenantId()).isEqualTo("tenant-a");
        assertThat(principal.username()).isEqualTo("ana");
        assertThat(principal.roles()).containsExactly(Role.AGENT);
    }

    @Test
    void principalHasNoUsernameWhenTheClaimIsMissing() {
        Jwt jwt = token().subject("svc-1").claim("tenant_id", "tenant-a").build();

        ConversaPrincipal principal = ConversaJwt.principal(jwt);

        assertThat(principal.username()).isNull();
        assertThat(principal.roles()).isEmpty();
    }

    private static Jwt.Builder token() {
        return Jwt.withTokenValue("t").header("alg", "none").claim("iss", "https://keycloak.test/realms/conversa");
    }
}
