package dev.conversa.notification.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.conversa.security.ConversaPrincipal;
import dev.conversa.security.Role;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The hub against an in-memory log: per-tenant order, gaps filled from the log, repeats skipped, slow clients. */
class EventHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int CLIENT_BUFFER = 4;
    private static final int LANES = 3;

    private final MemoryLog log = new MemoryLog();
    private final EventHub hub = new EventHub(log,
            StreamProperties.of(Duration.ofSeconds(15), CLIENT_BUFFER, LANES));

    @AfterEach
    void stopLanes() {
        hub.destroy();
    }

    @Test
    void clientReceivesOnlyItsTenantsEvents() {
        StepVerifier tenantA = StepVerifier.create(hub.subscribe(admin("tenant-a")))
                .expectNextMatches(event -> event.data().equals("a1"))
                .expectNextMatches(event -> event.data().equals("a2"))
                .thenCancel()
                .verifyLater();
        StepVerifier tenantB = StepVerifier.create(hub.subscribe(admin("tenant-b")))
                .expectNextMatches(event -> event.data().equals("b1"))
                .thenCancel()
                .verifyLater();
        awaitClients(2);

        relayOwn("tenant-a", "a1");
        relayOwn("tenant-b", "b1");
        relayOwn("tenant-a", "a2");

        tenantA.verify(TIMEOUT);
        tenantB.verify(TIMEOUT);
    }

    @Test
    void agentReceivesOnlyEventsOfConversationsAssignedToIt() {
        StepVerifier.create(hub.subscribe(caller("ana", "tenant-a", Role.AGENT)))
                .then(() -> {
                    relay("tenant-a", log.add("tenant-a", "for-bob", Scope.CONVERSATION, List.of("bob")), true);
                    relay("tenant-a", log.add("tenant-a", "session", Scope.MANAGEMENT, List.of()), true);
                    relay("tenant-a", log.add("tenant-a", "for-ana", Scope.CONVERSATION, List.of("ana")), true);
                })
                .expectNextMatches(event -> event.data().equals("for-ana"))
                .expectNoEvent(Duration.ofMillis(50))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void entriesAnotherInstanceAddedInBetweenAreReadFromTheLogInIdOrder() {
        List<String> received = new ArrayList<>();
        hub.subscribe(admin("tenant-a")).subscribe(event -> received.add(event.data()));
        awaitClients(1);

        EventLog.Appended first = log.add("tenant-a", "1", Scope.CONVERSATION, List.of());
        // added by another instance's relay, not yet seen by this instance's consumers
        EventLog.Appended byOther2 = log.add("tenant-a", "2", Scope.CONVERSATION, List.of());
        EventLog.Appended byOther3 = log.add("tenant-a", "3", Scope.CONVERSATION, List.of());
        EventLog.Appended fourth = log.add("tenant-a", "4", Scope.CONVERSATION, List.of());
        relay("tenant-a", first, true);
        relay("tenant-a", fourth, true);
        // this instance's consumers reach 3 and 2 later: the log answers them as already there
        relay("tenant-a", byOther3, false);
        relay("tenant-a", byOther2, false);

        assertThat(received).containsExactly("1", "2", "3", "4");
        // one read when the client connected (catching up), one for the gap before 4; none for 3 and 2
        assertThat(log.reads.get()).isEqualTo(2);
    }

    @Test
    void eventFoundAlreadyInTheLogIsReadFromItWhenNotYetHandedOut() {
        List<ClientEvent> received = new ArrayList<>();
        hub.subscribe(admin("tenant-a")).subscribe(received::add);
        awaitClients(1);

        EventLog.Appended added = log.add("tenant-a", "by-other", Scope.CONVERSATION, List.of());
        relay("tenant-a", added, false);
        relay("tenant-a", added, false);

        assertThat(received).extracting(ClientEvent::data).containsExactly("by-other");
        assertThat(received.getFirst().id()).isEqualTo(added.id());
    }

    @Test
    void newClientStartsAtTheLogsEndAndCatchesUpWhatWasAddedWhileConnecting() {
        log.add("tenant-a", "before", Scope.CONVERSATION, List.of());
        List<String> received = new ArrayList<>();
        hub.subscribe(admin("tenant-a")).subscribe(event -> received.add(event.data()));
        relay("tenant-a", log.add("tenant-a", "after", Scope.CONVERSATION, List.of()), true);

        assertThat(received).containsExactly("after");
    }

    @Test
    void slowClientIsDisconnectedWhileKeepingUpClientOfSameTenantReceivesEverything() {
        int published = CLIENT_BUFFER + 3;
        List<String> keepingUp = new ArrayList<>();
        hub.subscribe(admin("tenant-a")).subscribe(event -> keepingUp.add(event.data()));

        StepVerifier.create(hub.subscribe(caller("ana", "tenant-a", Role.SUPERVISOR)), 0)
                .expectSubscription()
                .then(() -> awaitClients(2))
                .then(() -> IntStream.range(0, published).forEach(i -> relayOwn("tenant-a", "e" + i)))
                // past its buffer the slow client is cut off from the hub at once, not when it reads again
                .then(() -> assertThat(hub.subscriberCount()).isEqualTo(1))
                .thenRequest(Long.MAX_VALUE)
                // its queue is dropped: it reconnects with Last-Event-ID and reads those from the log
                .expectErrorMatches(Exceptions::isOverflow)
                .verify(TIMEOUT);

        relayOwn("tenant-a", "after");
        assertThat(keepingUp).hasSize(published + 1).endsWith("after");
    }

    @Test
    void clientThatFallsBehindByNoMoreThanItsBufferIsNotDisconnected() {
        StepVerifier.create(hub.subscribe(admin("tenant-a")), 0)
                .expectSubscription()
                .then(() -> awaitClients(1))
                .then(() -> IntStream.range(0, CLIENT_BUFFER).forEach(i -> relayOwn("tenant-a", "e" + i)))
                .then(() -> assertThat(hub.subscriberCount()).isEqualTo(1))
                .thenRequest(CLIENT_BUFFER)
                .expectNextCount(CLIENT_BUFFER)
                .then(() -> relayOwn("tenant-a", "late"))
                .thenRequest(1)
                .assertNext(event -> assertThat(event.data()).isEqualTo("late"))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void eventsAClientMayNotSeeDoNotFillItsBuffer() {
        StepVerifier.create(hub.subscribe(caller("ana", "tenant-a", Role.AGENT)), 0)
                .expectSubscription()
                .then(() -> awaitClients(1))
                .then(() -> IntStream.range(0, CLIENT_BUFFER * 3).forEach(i -> relayOwn("tenant-b", "b" + i)))
                .then(() -> IntStream.range(0, CLIENT_BUFFER * 3).forEach(i -> relay("tenant-a",
                        log.add("tenant-a", "bob" + i, Scope.CONVERSATION, List.of("bob")), true)))
                .then(() -> relay("tenant-a", log.add("tenant-a", "ana", Scope.CONVERSATION, List.of("ana")), true))
                .then(() -> assertThat(hub.subscriberCount()).isEqualTo(1))
                .thenRequest(1)
                .assertNext(event -> assertThat(event.data()).isEqualTo("ana"))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void everyClientOnEveryLaneGetsEveryEventInLogOrder() {
        int clientCount = LANES * 4;
        int events = 200;
        List<List<String>> received = new ArrayList<>();
        for (int i = 0; i < clientCount; i++) {
            List<String> mine = new CopyOnWriteArrayList<>();
            received.add(mine);
            hub.subscribe(admin("tenant-a")).subscribe(event -> mine.add(event.data()));
        }
        awaitClients(clientCount);

        List<String> expected = IntStream.range(0, events).mapToObj(i -> "e" + i).toList();
        expected.forEach(data -> hub.relayed("tenant-a", log.add("tenant-a", data, Scope.CONVERSATION, List.of()))
                .block(TIMEOUT));
        hub.handedOut().block(TIMEOUT);

        assertThat(received).allSatisfy(mine -> assertThat(mine).containsExactlyElementsOf(expected));
    }

    @Test
    void clientsOnSeveralEventLoopsGetEveryEventInLogOrderOnTheirOwnLoop() {
        DefaultEventLoopGroup group = new DefaultEventLoopGroup(3);
        try {
            int clientCount = 12;
            int events = 200;
            List<List<String>> received = new ArrayList<>();
            AtomicInteger offLoop = new AtomicInteger();
            for (int i = 0; i < clientCount; i++) {
                EventLoop loop = group.next();
                List<String> mine = new CopyOnWriteArrayList<>();
                received.add(mine);
                hub.connect(admin("tenant-a"), loop).flatMapMany(EventHub.Client::events).subscribe(event -> {
                    if (!loop.inEventLoop()) {
                        offLoop.incrementAndGet();
                    }
                    mine.add(event.data());
                });
            }
            awaitClients(clientCount);

            List<String> expected = IntStream.range(0, events).mapToObj(i -> "e" + i).toList();
            expected.forEach(data -> hub.relayed("tenant-a", log.add("tenant-a", data, Scope.CONVERSATION,
                    List.of())).block(TIMEOUT));
            hub.handedOut().block(TIMEOUT);

            assertThat(received).allSatisfy(mine -> assertThat(mine).containsExactlyElementsOf(expected));
            assertThat(offLoop).hasValue(0);
        }
        finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void eachEventIsHandedToAnEventLoopOnceWhateverTheNumberOfItsClients() {
        DefaultEventLoopGroup group = new DefaultEventLoopGroup(2);
        try {
            List<CountingExecutor> loops = List.of(new CountingExecutor(group.next()),
                    new CountingExecutor(group.next()));
            List<String> received = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 10; i++) {
                hub.connect(admin("tenant-a"), loops.get(i % 2)).flatMapMany(EventHub.Client::events)
                        .subscribe(event -> received.add(event.data()));
            }
            awaitClients(10);

            for (int i = 0; i < 3; i++) {
                relayOwn("tenant-a", "e" + i);
            }

            assertThat(received).hasSize(30);
            // one task per event per loop: 3 each, plus the one handedOut() queues after every relay
            assertThat(loops).allSatisfy(loop -> assertThat(loop.executed).hasValue(3 + 3));
        }
        finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void subscriberCountDropsWhenClientsCancel() {
        var first = hub.subscribe(admin("tenant-a")).subscribe();
        var second = hub.subscribe(admin("tenant-b")).subscribe();
        awaitClients(2);

        first.dispose();
        assertThat(hub.subscriberCount()).isEqualTo(1);
        second.dispose();
        assertThat(hub.subscriberCount()).isZero();
    }

    @Test
    void relayingWithoutClientsNeitherFailsNorReachesLaterClients() {
        relayOwn("tenant-a", "early");

        StepVerifier.create(hub.subscribe(admin("tenant-a")))
                .then(() -> relayOwn("tenant-a", "live"))
                .assertNext(event -> assertThat(event.data()).isEqualTo("live"))
                .thenCancel()
                .verify(TIMEOUT);
    }

    private void relayOwn(String tenant, String data) {
        relay(tenant, log.add(tenant, data, Scope.CONVERSATION, List.of()), true);
    }

    /** As the relay does after appending; {@code own}: this instance added it (else it found it there). */
    private void relay(String tenant, EventLog.Appended appended, boolean own) {
        EventLog.Appended seen = own ? appended : new EventLog.Appended(appended.id(), null, null);
        hub.relayed(tenant, seen).then(hub.handedOut()).block(TIMEOUT);
    }

    private void awaitClients(int count) {
        assertThat(hub.subscriberCount()).isEqualTo(count);
    }

    private static ConversaPrincipal admin(String tenant) {
        return caller("admin-of-" + tenant, tenant, Role.ADMIN);
    }

    private static ConversaPrincipal caller(String user, String tenant, Role role) {
        return new ConversaPrincipal(user, tenant, Set.of(role), null);
    }

    /** An event loop that counts the tasks handed to it. */
    private record CountingExecutor(Executor loop, AtomicInteger executed) implements Executor {

        CountingExecutor(Executor loop) {
            this(loop, new AtomicInteger());
        }

        @Override
        public void execute(Runnable task) {
            executed.incrementAndGet();
            loop.execute(task);
        }
    }

    /** A log in memory: one list per tenant, ids 1-0, 2-0, … */
    static final class MemoryLog extends EventLog {

        private final List<ClientEvent> entries = new ArrayList<>();
        final AtomicInteger reads = new AtomicInteger();
        private long next = 1;

        MemoryLog() {
            super(null, StreamProperties.of(Duration.ofSeconds(15), CLIENT_BUFFER));
        }

        synchronized EventLog.Appended add(String tenant, String data, Scope scope, List<String> agents) {
            StreamId previous = entries.stream().filter(e -> e.tenantId().equals(tenant)).map(ClientEvent::id)
                    .reduce((a, b) -> b).orElse(StreamId.ZERO);
            ClientEvent event = new ClientEvent(new StreamId(next++, 0), "message.new", tenant, scope, agents, data);
            entries.add(event);
            return new EventLog.Appended(event.id(), previous, event);
        }

        @Override
        public synchronized Mono<StreamId> lastId(String tenant) {
            return Mono.just(entries.stream().filter(e -> e.tenantId().equals(tenant)).map(ClientEvent::id)
                    .reduce((a, b) -> b).orElse(StreamId.ZERO));
        }

        @Override
        public synchronized Flux<ClientEvent> after(String tenant, StreamId after, @Nullable StreamId upTo) {
            reads.incrementAndGet();
            return Flux.fromIterable(entries.stream().filter(e -> e.tenantId().equals(tenant))
                    .filter(e -> e.id().isAfter(after) && (upTo == null || !e.id().isAfter(upTo))).toList());
        }
    }
}
