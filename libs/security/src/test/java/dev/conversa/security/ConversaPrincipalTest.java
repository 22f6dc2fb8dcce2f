package dev.conversa.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ConversaPrincipalTest {

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"ADMIN", "SUPERVISOR", "SERVICE"})
    void seesWholeTenantWithAWholeTenantRole(Role role) {
        assertThat(principal(Set.of(role)).seesWholeTenant()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"AGENT", "BOT"})
    void doesNotSeeWholeTenantAsAgentOrBot(Role role) {
        assertThat(principal(Set.of(role)).seesWholeTenant()).isFalse();
    }

    @Test
    void doesNotSeeWholeTenantWithoutRoles() {
        assertThat(principal(Set.of()).seesWholeTenant()).isFalse();
    }

    @Test
    void seesWholeTenantWhenAnyOfItsRolesAllowsIt() {
        assertThat(principal(Set.of(Role.AGENT, Role.SUPERVISOR)).seesWholeTenant()).isTrue();
    }

    @Test
    void hasAndHasAnyCheckTheGrantedRoles() {
        ConversaPrincipal agent = principal(Set.of(Role.AGENT));

        assertThat(agent.has(Role.AGENT)).isTrue();
        assertThat(agent.has(Role.ADMIN)).isFalse();
        assertThat(agent.hasAny(Role.ADMIN, Role.AGENT)).isTrue();
        assertThat(agent.hasAny(Role.ADMIN, Role.BOT)).isFalse();
        assertThat(agent.hasAny()).isFalse();
    }

    @Test
    void keepsAnImmutableCopyOfItsRoles() {
        Set<Role> granted = EnumSet.of(Role.AGENT);
        ConversaPrincipal principal = principal(granted);

        granted.add(Role.ADMIN);

        assertThat(principal.roles()).containsExactly(Role.AGENT);
        assertThatThrownBy(() -> principal.roles().add(Role.ADMIN)).isInstanceOf(UnsupportedOperationException.class);
    }

    private static ConversaPrincipal principal(Set<Role> roles) {
        return new ConversaPrincipal("user-1", "tenant-a", roles, "ana");
    }
}
