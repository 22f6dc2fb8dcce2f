package dev.conversa.notification.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.conversa.security.ConversaPrincipal;
import dev.conversa.security.Role;
import reactor.core.Exceptions;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

class EventHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int CLIENT_BUFFER = 4;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final EventHub hub = new EventHub(new StreamProperties(Duration.ofSeconds(15), CLIENT_BUFFER));

    @Test
    void clientReceivesOnlyItsTenantsEvents() {
        ClientEvent a1 = event("a-1", "tenant-a");
        ClientEvent b1 = event("b-1", "tenant-b");
        ClientEvent a2 = event("a-2", "tenant-a");

        StepVerifier tenantA = StepVerifier.create(hub.subscribe(caller("tenant-a", Role.ADMIN)))
                .expectNext(a1, a2)
                .thenCancel()
                .verifyLater();
        StepVerifier tenantB = StepVerifier.create(hub.subscribe(caller("tenant-b", Role.ADMIN)))
                .expectNext(b1)
                .thenCancel()
                .verifyLater();

        hub.publish(a1);
        hub.publish(b1);
        hub.publish(a2);

        tenantA.verify(TIMEOUT);
        tenantB.verify(TIMEOUT);
    }

    @Test
    void clientReceivesNothingWhileOnlyOtherTenantsHaveEvents() {
        StepVerifier.create(hub.subscribe(caller("tenant-a", Role.SUPERVISOR)))
                .then(() -> IntStream.range(0, 10).forEach(i -> hub.publish(event("b-" + i, "tenant-b"))))
                .expectNoEvent(Duration.ofMillis(100))
                .then(() -> hub.publish(event("a-1", "tenant-a")))
                .assertNext(event -> assertThat(event.id()).isEqualTo("a-1"))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void clientReceivesItsEventsInPublishOrder() {
        List<ClientEvent> events = IntStream.range(0, 50).mapToObj(i -> event("a-" + i, "tenant-a")).toList();

        StepVerifier.create(hub.subscribe(caller("tenant-a", Role.AGENT)))
                .then(() -> events.forEach(hub::publish))
                .expectNextSequence(events)
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void slowClientIsDisconnectedWhileKeepingUpClientOfSameTenantReceivesEverything() {
        int published = CLIENT_BUFFER + 3;
        List<ClientEvent> events = IntStream.range(0, published).mapToObj(i -> event("a-" + i, "tenant-a")).toList();
        ClientEvent afterDisconnect = event("a-after", "tenant-a");

        StepVerifier keepingUp = StepVerifier.create(hub.subscribe(caller("tenant-a", Role.ADMIN)))
                .expectNextSequence(events)
                .expectNext(afterDisconnect)
                .thenCancel()
                .verifyLater();

        StepVerifier.create(hub.subscribe(caller("tenant-a", Role.AGENT)), 0)
                .expectSubscription()
                .then(() -> assertThat(hub.subscriberCount()).isEqualTo(2))
                .then(() -> events.forEach(hub::publish))
                // past its buffer the slow client is cut off from the hub at once, not when it reads again
                .then(() -> assertThat(hub.subscriberCount()).isEqualTo(1))
                .expectNoEvent(Duration.ofMillis(50))
                .thenRequest(Long.MAX_VALUE)
                // it still gets what was buffered for it, then the disconnecting error
                .expectNextSequence(events.subList(0, CLIENT_BUFFER))
                .expectErrorMatches(Exceptions::isOverflow)
                .verify(TIMEOUT);

        hub.publish(afterDisconnect);
        keepingUp.verify(TIMEOUT);
        assertThat(hub.subscriberCount()).isZero();
    }

    @Test
    void clientThatFallsBehindByNoMoreThanItsBufferIsNotDisconnected() {
        List<ClientEvent> events = IntStream.range(0, CLIENT_BUFFER).mapToObj(i -> event("a-" + i, "tenant-a"))
                .toList();

        StepVerifier.create(hub.subscribe(caller("tenant-a", Role.AGENT)), 0)
                .expectSubscription()
                .then(() -> events.forEach(hub::publish))
                .then(() -> assertThat(hub.subscriberCount()).isEqualTo(1))
                .thenRequest(Long.MAX_VALUE)
                .expectNextSequence(events)
                .then(() -> hub.publish(event("a-late", "tenant-a")))
                .assertNext(event -> assertThat(event.id()).isEqualTo("a-late"))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void otherTenantsEventsDoNotFillAClientsBuffer() {
        StepVerifier.create(hub.subscribe(caller("tenant-a", Role.AGENT)), 0)
                .expectSubscription()
                .then(() -> IntStream.range(0, CLIENT_BUFFER * 3)
                        .forEach(i -> hub.publish(event("b-" + i, "tenant-b"))))
                .then(() -> hub.publish(event("a-1", "tenant-a")))
                .then(() -> assertThat(hub.subscriberCount()).isEqualTo(1))
                .thenRequest(1)
                .assertNext(event -> assertThat(event.id()).isEqualTo("a-1"))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void subscriberCountCountsConnectedClientsAndDropsWhenOneCancels() {
        assertThat(hub.subscriberCount()).isZero();

        var first = hub.subscribe(caller("tenant-a", Role.AGENT)).subscribe();
        var second = hub.subscribe(caller("tenant-b", Role.AGENT)).subscribe();
        assertThat(hub.subscriberCount()).isEqualTo(2);

        first.dispose();
        assertThat(hub.subscriberCount()).isEqualTo(1);

        second.dispose();
        assertThat(hub.subscriberCount()).isZero();
    }

    @Test
    void subscriberCountDropsWhenAStepVerifiedClientCancels() {
        StepVerifier.create(hub.subscribe(caller("tenant-a", Role.AGENT)))
                .expectSubscription()
                .then(() -> assertThat(hub.subscriberCount()).isEqualTo(1))
                .thenCancel()
                .verify(TIMEOUT);

        assertThat(hub.subscriberCount()).isZero();
    }

    @Test
    void publishingWithoutClientsNeitherFailsNorReachesLaterClients() {
        hub.publish(event("early", "tenant-a"));

        StepVerifier.create(hub.subscribe(caller("tenant-a", Role.AGENT)))
                .then(() -> hub.publish(event("live", "tenant-a")))
                .assertNext(event -> assertThat(event.id()).isEqualTo("live"))
                .thenCancel()
                .verify(TIMEOUT);
    }

    private static ConversaPrincipal caller(String tenantId, Role role) {
        return new ConversaPrincipal("user-of-" + tenantId, tenantId, Set.of(role), null);
    }

    private static ClientEvent event(String id, String tenantId) {
        var data = JSON.createObjectNode().put("seq", id).put("tenant", tenantId);
        return new ClientEvent(id, "message.new", tenantId, "conversation-1", data);
    }
}
