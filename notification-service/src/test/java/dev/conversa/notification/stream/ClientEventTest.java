package dev.conversa.notification.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.conversa.security.ConversaPrincipal;
import dev.conversa.security.Role;

class ClientEventTest {

    private static final ClientEvent ASSIGNED_TO_ANA = event("tenant-a", Scope.CONVERSATION, List.of("ana"));
    private static final ClientEvent UNASSIGNED = event("tenant-a", Scope.CONVERSATION, List.of());
    private static final ClientEvent SESSION = event("tenant-a", Scope.MANAGEMENT, List.of());

    @Test
    void adminsAndSupervisorsSeeEverythingOfTheirTenant() {
        for (Role role : List.of(Role.ADMIN, Role.SUPERVISOR)) {
            ConversaPrincipal caller = caller("boss", "tenant-a", role);
            assertThat(ASSIGNED_TO_ANA.visibleTo(caller)).as(role.name()).isTrue();
            assertThat(UNASSIGNED.visibleTo(caller)).as(role.name()).isTrue();
            assertThat(SESSION.visibleTo(caller)).as(role.name()).isTrue();
        }
    }

    @Test
    void nobodySeesAnotherTenantsEvents() {
        for (Role role : Role.values()) {
            ConversaPrincipal caller = caller("ana", "tenant-b", role);
            assertThat(ASSIGNED_TO_ANA.visibleTo(caller)).as(role.name()).isFalse();
            assertThat(SESSION.visibleTo(caller)).as(role.name()).isFalse();
        }
    }

    @Test
    void agentSeesOnlyConversationEventsNamingIt() {
        assertThat(ASSIGNED_TO_ANA.visibleTo(caller("ana", "tenant-a", Role.AGENT))).isTrue();
        assertThat(ASSIGNED_TO_ANA.visibleTo(caller("bob", "tenant-a", Role.AGENT))).isFalse();
        assertThat(UNASSIGNED.visibleTo(caller("ana", "tenant-a", Role.AGENT))).isFalse();
        assertThat(event("tenant-a", Scope.CONVERSATION, List.of("bob", "ana"))
                .visibleTo(caller("ana", "tenant-a", Role.AGENT))).isTrue();
    }

    @Test
    void agentGetsNoSessionCampaignOrImportEventsEvenIfNamed() {
        assertThat(SESSION.visibleTo(caller("ana", "tenant-a", Role.AGENT))).isFalse();
        assertThat(event("tenant-a", Scope.MANAGEMENT, List.of("ana"))
                .visibleTo(caller("ana", "tenant-a", Role.AGENT))).isFalse();
    }

    @Test
    void botsAndServicesWithoutAgentRoleSeeNoConversationOfAnAgent() {
        assertThat(ASSIGNED_TO_ANA.visibleTo(caller("ana", "tenant-a", Role.BOT))).isFalse();
        assertThat(SESSION.visibleTo(caller("svc", "tenant-a", Role.SERVICE))).isFalse();
    }

    private static ConversaPrincipal caller(String user, String tenant, Role role) {
        return new ConversaPrincipal(user, tenant, Set.of(role), null);
    }

    private static ClientEvent event(String tenant, Scope scope, List<String> agents) {
        return new ClientEvent(StreamId.of("1-0"), "x", tenant, scope, agents, "{}");
    }
}
