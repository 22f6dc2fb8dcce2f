package dev.conversa.message.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.conversa.message.inbox.ConversationStore.Contact;
import dev.conversa.message.inbox.ConversationStore.ContactKey;
import dev.conversa.message.inbox.ConversationStore.Opened;
import dev.conversa.testsupport.ConversaIntegrationTest;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * {@link ConversationStore#openIds} on real PostgreSQL: opens what is new, finds what exists without rewriting it
 * (a changed name is written), and returns a conversation another transaction opened while the statement ran.
 */
@ConversaIntegrationTest
class ConversationStoreIntegrationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Autowired
    ConversationStore store;

    @Autowired
    DatabaseClient db;

    @Autowired
    TransactionalOperator transaction;

    @Test
    void opensNewConversationsAndFindsExistingOnesWithoutRewritingThem() {
        String tenant = "tenant-store-" + UUID.randomUUID();
        UUID session = UUID.randomUUID();
        ContactKey ana = new ContactKey(tenant, session, "+5491100000001");
        ContactKey bruno = new ContactKey(tenant, session, "+5491100000002");

        Map<ContactKey, Opened> first = openIds(List.of(new Contact(ana, "Ana"), new Contact(bruno, null)));
        assertThat(first).containsOnlyKeys(ana, bruno);
        assertThat(first.values()).allMatch(Opened::created);
        long anaVersion = xmin(first.get(ana).id());

        Map<ContactKey, Opened> again = openIds(List.of(new Contact(ana, "Ana"), new Contact(bruno, "Bruno")));
        assertThat(again.get(ana)).isEqualTo(new Opened(first.get(ana).id(), false));
        assertThat(again.get(bruno)).isEqualTo(new Opened(first.get(bruno).id(), false));
        // same name: the row is not rewritten; a new name is written
        assertThat(xmin(first.get(ana).id())).isEqualTo(anaVersion);
        assertThat(name(first.get(bruno).id())).isEqualTo("Bruno");
        assertThat(name(first.get(ana).id())).isEqualTo("Ana");
    }

    @Test
    void returnsAConversationAnotherTransactionOpenedMeanwhile() throws Exception {
        String tenant = "tenant-store-" + UUID.randomUUID();
        UUID session = UUID.randomUUID();
        ContactKey carla = new ContactKey(tenant, session, "+5491100000003");
        UUID theirs = UUID.randomUUID();
        Sinks.Empty<Void> commit = Sinks.empty();

        // another writer opens Carla's conversation and holds its transaction open
        Mono<Void> other = db.sql("""
                        INSERT INTO message.conversations (id, tenant_id, session_id, contact_phone, contact_name)
                        VALUES (:id, :tenant, :session, :phone, 'Carla')""")
                .bind("id", theirs).bind("tenant", tenant).bind("session", session).bind("phone", carla.phone())
                .then()
                .then(commit.asMono())
                .as(transaction::transactional);
        var otherDone = other.subscribeOn(Schedulers.boundedElastic()).toFuture();
        awaitUncommittedRow(tenant);

        // this statement waits on that row, then sees it committed after its snapshot was taken
        var ours = store.openIds(List.of(new Contact(carla, "Carla"))).as(transaction::transactional).toFuture();
        Thread.sleep(500);
        assertThat(ours).isNotDone();
        commit.tryEmitEmpty();
        otherDone.get();

        assertThat(ours.get()).containsEntry(carla, new Opened(theirs, false));
    }

    private Map<ContactKey, Opened> openIds(List<Contact> contacts) {
        return store.openIds(contacts).as(transaction::transactional).block(TIMEOUT);
    }

    private long xmin(UUID id) {
        return db.sql("SELECT xmin::text::bigint AS v FROM message.conversations WHERE id = :id").bind("id", id)
                .map(row -> row.get("v", Long.class)).one().block(TIMEOUT);
    }

    private String name(UUID id) {
        return db.sql("SELECT contact_name FROM message.conversations WHERE id = :id").bind("id", id)
                .map(row -> row.get("contact_name", String.class)).one().block(TIMEOUT);
    }

    /** Waits until a backend holds an open transaction that inserted into conversations (not committed yet). */
    private void awaitUncommittedRow(String tenant) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Long waiting = db.sql("""
                            SELECT count(*) AS n FROM pg_stat_activity
                             WHERE state = 'idle in transaction' AND query LIKE '%INSERT INTO message.conversations%'""")
                    .map(row -> row.get("n", Long.class)).one().block(TIMEOUT);
            if (waiting != null && waiting > 0) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the other transaction never inserted " + tenant + "'s conversation");
    }
}
