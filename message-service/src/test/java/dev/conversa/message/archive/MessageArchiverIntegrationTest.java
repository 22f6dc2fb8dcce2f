package dev.conversa.message.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import dev.conversa.message.conversations.InboxFixtures;
import dev.conversa.testsupport.ConversaIntegrationTest;
import dev.conversa.testsupport.RealServers;

/** The archival job on real PostgreSQL: old messages move in batches, recent ones stay, one instance at a time. */
@ConversaIntegrationTest
@TestPropertySource(properties = {"conversa.message.archive.after-days=30", "conversa.message.archive.batch-size=2",
    "conversa.message.archive.cron=-"})
class MessageArchiverIntegrationTest {

    private static final String TENANT = "tenant-archive";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Autowired
    MessageArchiver archiver;

    @Autowired
    RealServers servers;

    @Test
    void oldMessagesMoveToTheArchiveInBatchesAndRecentOnesStay() {
        InboxFixtures fixtures = new InboxFixtures(servers);
        UUID session = UUID.randomUUID();
        UUID conversation = fixtures.conversation(TENANT, session).insert();
        Instant now = Instant.now();
        UUID oldest = null;
        for (int i = 0; i < 5; i++) {
            UUID id = fixtures.inbound(TENANT, conversation, session, "viejo " + i, "wamid.A" + i,
                    now.minus(Duration.ofDays(40 + i)));
            oldest = oldest == null ? id : oldest;
        }
        fixtures.inbound(TENANT, conversation, session, "reciente", "wamid.B1", now.minus(Duration.ofDays(10)));
        fixtures.inbound(TENANT, conversation, session, "hoy", "wamid.B2", now);

        Optional<ArchiveResult> result = archiver.runExclusively().block(TIMEOUT);

        assertThat(result).contains(new ArchiveResult(5, 3));
        assertThat(count("SELECT count(*) FROM message.messages WHERE conversation_id = ?", conversation))
                .isEqualTo(2);
        assertThat(count("SELECT count(*) FROM message.messages_archive WHERE conversation_id = ?", conversation))
                .isEqualTo(5);
        assertThat(servers.database().queryRow(
                "SELECT text, wa_message_id, tenant_id, archived_at FROM message.messages_archive WHERE id = ?", oldest))
                .containsEntry("text", "viejo 0").containsEntry("wa_message_id", "wamid.A0")
                .containsEntry("tenant_id", TENANT)
                .hasEntrySatisfying("archived_at", archivedAt -> assertThat(archivedAt).isNotNull());
        // nothing left to move
        assertThat(archiver.runExclusively().block(TIMEOUT)).contains(new ArchiveResult(0, 0));
    }

    @Test
    void aRunSkipsWhileAnotherInstanceHoldsTheLock() throws Exception {
        InboxFixtures fixtures = new InboxFixtures(servers);
        UUID session = UUID.randomUUID();
        UUID conversation = fixtures.conversation(TENANT, session).insert();
        fixtures.inbound(TENANT, conversation, session, "viejo", "wamid.L1", Instant.now().minus(Duration.ofDays(60)));

        try (Connection other = servers.database().connect()) {
            try (PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_lock(?)")) {
                lock.setLong(1, MessageArchiver.LOCK_KEY);
                lock.execute();
            }
            assertThat(archiver.runExclusively().block(TIMEOUT)).isEmpty();
            assertThat(count("SELECT count(*) FROM message.messages WHERE conversation_id = ?", conversation))
                    .isEqualTo(1);
        }
        // the lock went with the other session: its backend releases it as it exits, a moment after the close
        Optional<ArchiveResult> after = await().atMost(Duration.ofSeconds(10))
                .until(() -> archiver.runExclusively().block(TIMEOUT), Optional::isPresent);
        assertThat(after).hasValueSatisfying(result -> assertThat(result.moved()).isGreaterThanOrEqualTo(1));
        assertThat(count("SELECT count(*) FROM message.messages WHERE conversation_id = ?", conversation)).isZero();
    }

    private long count(String sql, UUID conversation) {
        return servers.database().queryLong(sql, conversation);
    }
}
