package dev.conversa.message.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.conversa.events.message.MediaAttachment;
import dev.conversa.events.message.MessageReceived;
import dev.conversa.events.message.MessageType;
import dev.conversa.media.storage.FileSystemMediaStorage;
import dev.conversa.media.storage.MediaKeys;
import dev.conversa.message.inbox.IngestTestBase;
import dev.conversa.testsupport.TestJwts;
import reactor.core.publisher.Flux;

/**
 * A file session-service stored for an inbound message becomes downloadable: the {@code received} event (with our
 * media id) reaches the inbox's consumer through a real broker, which writes the file's row in the transaction that
 * stores the message; the bytes come from the shared storage. A file marked unavailable gets no row, and its message
 * is stored all the same.
 */
class InboundMediaIntegrationTest extends IngestTestBase {

    private static final String TENANT = "tenant-inbound-media";
    private static final Path STORAGE = tempDir();

    @Autowired
    WebTestClient web;

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) {
        registry.add("conversa.media.storage.filesystem.root", STORAGE::toString);
    }

    @BeforeEach
    void patientClient() {
        // a shared 2-core machine: more than WebTestClient's default 5 s now and then
        web = web.mutate().responseTimeout(java.time.Duration.ofSeconds(30)).build();
    }

    @Test
    void aStoredInboundFileIsRecordedOnceAndDownloadsWithItsMessage() throws Exception {
        UUID session = UUID.randomUUID();
        UUID mediaId = UUID.randomUUID();
        byte[] voiceNote = MediaTypeRulesTest.bytes("voice.ogg");
        // what session-service did before publishing: the file in the shared storage under <tenant>/<media id>
        new FileSystemMediaStorage(STORAGE).put(MediaKeys.of(TENANT, mediaId),
                Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(voiceNote)), "audio/ogg").block(TIMEOUT);
        MessageReceived message = withMedia(session, "wamid.voice-1", MessageType.AUDIO,
                new MediaAttachment("1093847561029385", "audio/ogg", sha256(voiceNote), (long) voiceNote.length,
                        null, null, mediaId, true));

        String eventId = UUID.randomUUID().toString();
        publishInbound(message, eventId);
        publishInbound(message, eventId);

        await().atMost(TIMEOUT).until(() -> servers.database().queryLong(
                "SELECT count(*) FROM message.media md JOIN message.messages m"
                        + " ON m.session_id = md.session_id AND m.wa_message_id = md.wa_message_id WHERE md.id = ?",
                mediaId) == 1);
        assertThat(servers.database().queryRow(
                "SELECT type, mime_type, size_bytes, created_by, scan_result FROM message.media WHERE id = ?",
                mediaId))
                .containsEntry("type", "audio").containsEntry("mime_type", "audio/ogg")
                .containsEntry("size_bytes", (long) voiceNote.length)
                .containsEntry("created_by", "session-service");
        assertThat(servers.database().queryString(
                "SELECT media->>'mediaId' FROM message.messages WHERE session_id = ?", session))
                .isEqualTo(mediaId.toString());

        web.get().uri("/api/v1/media/{id}", mediaId)
                .headers(h -> h.setBearerAuth(TestJwts.get().token("agent-1", TENANT, "agent")))
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.parseMediaType("audio/ogg"))
                .expectBody(byte[].class).isEqualTo(voiceNote);
        web.get().uri("/api/v1/media/{id}", mediaId)
                .headers(h -> h.setBearerAuth(TestJwts.get().token("agent-1", "another-tenant", "agent")))
                .exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void aFileMarkedUnavailableGetsNoRowAndItsMessageIsStoredAllTheSame() {
        UUID session = UUID.randomUUID();
        MessageReceived message = withMedia(session, "wamid.photo-lost", MessageType.IMAGE,
                new MediaAttachment("1093847561029386", "image/jpeg", null, null, null, "la foto", null, false));

        publishInbound(message, UUID.randomUUID().toString());

        await().atMost(TIMEOUT).until(() -> servers.database().queryLong(
                "SELECT count(*) FROM message.messages WHERE session_id = ?", session) == 1);
        assertThat(servers.database().queryString(
                "SELECT media->>'available' FROM message.messages WHERE session_id = ?", session)).isEqualTo("false");
        assertThat(servers.database().queryLong(
                "SELECT count(*) FROM message.media WHERE session_id = ?", session)).isZero();
    }

    private static MessageReceived withMedia(UUID session, String waMessageId, MessageType type,
            MediaAttachment media) {
        Instant now = Instant.now();
        return new MessageReceived(TENANT, session, waMessageId, "+5491155552001", "Ana", type, null, media, null,
                null, null, null, now, now);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("conversa-inbound-media-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
