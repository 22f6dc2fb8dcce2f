package dev.conversa.session.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;

import dev.conversa.events.Topics;
import dev.conversa.events.command.MediaRef;
import dev.conversa.events.command.SendMessageRequested;
import dev.conversa.events.command.SendPriority;
import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.events.message.MediaAttachment;
import dev.conversa.events.message.MessageReceived;
import dev.conversa.events.message.MessageStatusChanged;
import dev.conversa.events.message.MessageType;
import dev.conversa.media.storage.MediaKeys;
import dev.conversa.messaging.EventPublisher;
import dev.conversa.session.ownership.CommandPartitionOwnership;
import dev.conversa.simulator.WhatsAppSimulator;
import dev.conversa.simulator.media.MediaStore;
import dev.conversa.simulator.truth.GroundTruth;
import dev.conversa.testsupport.ConversaIntegrationTest;
import dev.conversa.testsupport.RealServers;
import dev.conversa.testsupport.TopicRecords;
import tools.jackson.databind.JsonNode;

/**
 * Media end to end through both transports of a running session-service.
 * <ul>
 * <li>Inbound: the simulator delivers a customer's photo (linked-device socket, or signed Cloud API webhook),
 * session-service downloads the file from WhatsApp, stores it, and {@code received} carries our media id — the bytes
 * are in the media storage under it.</li>
 * <li>Outbound: a send naming one of our stored files uploads it to WhatsApp once per session (linked: the
 * protocol's upload; Cloud API: {@code POST /{phone-number-id}/media}) and the message names WhatsApp's id of it — the
 * recipient gets exactly our bytes.</li>
 * </ul>
 */
@ConversaIntegrationTest
@TestPropertySource(properties = {
        "spring.cloud.stream.bindings.handleCommand-in-0.consumer.auto-startup=true",
        "conversa.session.pacing.cloud-api.per-second=50",
})
class MediaRuntimeIntegrationTest {

    static final WhatsAppSimulator SIMULATOR = RuntimeFixtures.startSimulator("0s");
    static final Path STORAGE = tempDir();
    static final String TENANT = "tenant-media";

    @DynamicPropertySource
    static void simulator(DynamicPropertyRegistry registry) {
        registry.add("conversa.session.linked.url", () -> SIMULATOR.linkedDeviceUrl().toString());
        registry.add("conversa.session.cloud-api.base-url", () -> SIMULATOR.baseUrl().toString());
        registry.add("conversa.media.storage.filesystem.root", STORAGE::toString);
    }

    @AfterAll
    static void stopSimulator() {
        SIMULATOR.close();
    }

    @Autowired
    WebTestClient web;

    @Autowired
    EventPublisher publisher;

    @Autowired
    CommandPartitionOwnership ownership;

    @Autowired
    RealServers servers;

    @LocalServerPort
    int port;

    RuntimeFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new RuntimeFixtures(web, SIMULATOR, publisher, TENANT);
        RuntimeFixtures.awaitOwnershipOfEveryPartition(ownership);
    }

    @Test
    void aPhotoToALinkedNumberIsStoredAndTheEventCarriesOurMediaId() throws Exception {
        RuntimeFixtures.Linked linked = fixtures.linkNewNumber("media-linked");
        byte[] photo = randomBytes(120_000);

        MediaAttachment media = customerSendsPhoto(linked.businessNumber(), linked.sessionId(), photo);

        assertStored(media, photo);
    }

    @Test
    void aPhotoToACloudApiNumberIsDownloadedWithTheSessionsTokenAndStored() throws Exception {
        CloudNumber number = registerCloudNumberAndCreateSession("media-cloud-in");
        fixtures.awaitStatus(number.sessionId(), "connected");
        byte[] photo = randomBytes(80_000);

        MediaAttachment media = customerSendsPhoto(number.digits(), number.sessionId(), photo);

        assertStored(media, photo);
    }

    @Test
    void aStoredPhotoIsUploadedOnceToALinkedNumberAndBothRecipientsGetItsBytes() throws Exception {
        RuntimeFixtures.Linked linked = fixtures.linkNewNumber("media-out-linked");
        byte[] photo = randomBytes(150_000);
        UUID mediaId = store(photo);

        SendMessageRequested first = mediaSend(linked.sessionId(), "promo-photo-1", "+5491155551001", mediaId,
                MessageType.IMAGE, new MediaRef(mediaId, "image/jpeg", null, "Nueva colección", null));
        SendMessageRequested second = mediaSend(linked.sessionId(), "promo-photo-2", "+5491155551002", mediaId,
                MessageType.IMAGE, new MediaRef(mediaId, "image/jpeg", null, "Nueva colección", null));
        fixtures.publish(first);
        fixtures.publish(second);

        String firstFile = acceptedMediaOf(linked.sessionId(), linked.businessNumber(), first, "image");
        String secondFile = acceptedMediaOf(linked.sessionId(), linked.businessNumber(), second, "image");
        assertThat(secondFile).as("the session's second send reuses the first upload").isEqualTo(firstFile);
        assertThat(SIMULATOR.bean(MediaStore.class).find(firstFile)).get()
                .satisfies(uploaded -> {
                    assertThat(uploaded.bytes()).isEqualTo(photo);
                    assertThat(uploaded.mimeType()).isEqualTo("image/jpeg");
                });
    }

    @Test
    void aStoredDocumentGoesToACloudApiNumberByTheIdOfItsUpload() throws Exception {
        CloudNumber number = registerCloudNumberAndCreateSession("media-cloud-out");
        fixtures.awaitStatus(number.sessionId(), "connected");
        // a free-form message needs the customer's 24-hour window open: the customer writes first
        fixtures.customerWrites("5491155551003", number.digits(), "¿me mandan el catálogo?");
        byte[] pdf = ("%PDF-1.7\n" + "catálogo ".repeat(4_000)).getBytes(StandardCharsets.UTF_8);
        UUID mediaId = store(pdf);

        SendMessageRequested send = mediaSend(number.sessionId(), "catalog-1", "+5491155551003", mediaId,
                MessageType.DOCUMENT, new MediaRef(mediaId, "application/pdf", "catalogo.pdf", "Catálogo", null));
        fixtures.publish(send);

        String file = acceptedMediaOf(number.sessionId(), number.digits(), send, "document");
        assertThat(SIMULATOR.bean(MediaStore.class).find(file)).get()
                .satisfies(uploaded -> {
                    assertThat(uploaded.bytes()).isEqualTo(pdf);
                    assertThat(uploaded.mimeType()).isEqualTo("application/pdf");
                    assertThat(uploaded.filename()).isEqualTo("catalogo.pdf");
                });
    }

    @Test
    void aSendOfAFileMissingFromTheStorageFailsForGoodWithoutReachingWhatsApp() {
        RuntimeFixtures.Linked linked = fixtures.linkNewNumber("media-out-missing");
        UUID neverStored = UUID.randomUUID();

        fixtures.publish(mediaSend(linked.sessionId(), "ghost-file", "+5491155551004", neverStored,
                MessageType.IMAGE, new MediaRef(neverStored, "image/jpeg", null, null, null)));

        MessageStatusChanged failed = fixtures.statuses(linked.sessionId(), 1).getFirst();
        assertThat(failed.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(failed.errorCode()).isEqualTo(404);
        assertThat(failed.retryable()).isFalse();
        assertThat(fixtures.truthOf(linked.businessNumber()).path("outboundAccepted").asLong()).isZero();
    }

    private SendMessageRequested mediaSend(UUID sessionId, String key, String to, UUID mediaId, MessageType type,
            MediaRef media) {
        return new SendMessageRequested(TENANT, sessionId, UUID.randomUUID(), key, "corr-" + key, to, type, null,
                media, null, null, null, SendPriority.BULK, "campaign-service", Instant.now());
    }

    /** The file the simulator's recipient got with the accepted send of {@code command}. */
    private String acceptedMediaOf(UUID sessionId, String businessNumber, SendMessageRequested command,
            String type) {
        await().atMost(RuntimeFixtures.WAIT).untilAsserted(() -> assertThat(fixtures.statuses(sessionId, 1))
                .anySatisfy(status -> {
                    assertThat(status.idempotencyKey()).isEqualTo(command.idempotencyKey());
                    assertThat(status.status()).isEqualTo(DeliveryStatus.ACCEPTED);
                }));
        String clientRef = servers.database().queryString(
                "SELECT id::text FROM session.outbound_messages WHERE idempotency_key = ?", command.idempotencyKey());
        GroundTruth.ClientRefSends sends = SIMULATOR.bean(GroundTruth.class).sends(businessNumber, clientRef);
        assertThat(sends.count()).isEqualTo(1);
        assertThat(sends.type()).isEqualTo(type);
        assertThat(sends.mediaId()).isNotBlank();
        return sends.mediaId();
    }

    private UUID store(byte[] bytes) throws IOException {
        UUID mediaId = UUID.randomUUID();
        Path file = STORAGE.resolve(MediaKeys.of(TENANT, mediaId));
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return mediaId;
    }

    private MediaAttachment customerSendsPhoto(String businessNumber, UUID session, byte[] photo) {
        MultipartBodyBuilder form = new MultipartBodyBuilder();
        form.part("file", photo).filename("foto.jpg").contentType(MediaType.IMAGE_JPEG);
        JsonNode uploaded = WebClient.create().post().uri(SIMULATOR.baseUrl().resolve("/sim/media"))
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form.build()))
                .retrieve().bodyToMono(JsonNode.class).block(RuntimeFixtures.WAIT);
        fixtures.simulatorPost("/sim/phones/" + RuntimeFixtures.randomNumber() + "/messages", Map.of(
                "to", businessNumber, "type", "image", "media", Map.of("id", uploaded.path("id").asString(),
                        "mimeType", "image/jpeg", "caption", "la factura")), 202);
        MessageReceived received = TopicRecords.payload(
                TopicRecords.await(Topics.WA_MESSAGE_INBOUND, session, 1).getFirst(), MessageReceived.class);
        assertThat(received.media()).isNotNull();
        assertThat(received.media().caption()).isEqualTo("la factura");
        assertThat(received.tenantId()).isEqualTo("tenant-media");
        return received.media();
    }

    private static void assertStored(MediaAttachment media, byte[] photo) throws Exception {
        assertThat(media.available()).isTrue();
        assertThat(media.mediaId()).isNotNull();
        assertThat(media.fileSize()).isEqualTo(photo.length);
        assertThat(media.sha256()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(photo)));
        assertThat(Files.readAllBytes(STORAGE.resolve(MediaKeys.of("tenant-media", media.mediaId()))))
                .isEqualTo(photo);
    }

    private CloudNumber registerCloudNumberAndCreateSession(String name) {
        String phoneNumberId = "1065" + ThreadLocalRandom.current().nextLong(100_000_000_000L, 999_999_999_999L);
        String digits = "1555" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);
        String token = "EAAG-" + UUID.randomUUID();
        String appSecret = "app-secret-" + UUID.randomUUID();
        fixtures.simulatorPost("/sim/cloud/numbers", Map.of("phoneNumberId", phoneNumberId,
                "phoneNumber", "+" + digits, "accessToken", token, "appSecret", appSecret,
                "verifyToken", "verify-media",
                "webhookUrl", "http://127.0.0.1:" + port + "/webhooks/whatsapp/" + phoneNumberId), 201);
        JsonNode created = RuntimeFixtures.json(web.post().uri("/api/v1/sessions")
                .headers(headers -> headers.setBearerAuth(fixtures.token()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", name, "transport", "cloud-api", "cloudApi", Map.of(
                        "phoneNumberId", phoneNumberId, "accessToken", token, "appSecret", appSecret,
                        "verifyToken", "verify-media")))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(String.class).returnResult().getResponseBody());
        return new CloudNumber(UUID.fromString(created.path("id").asString()), digits);
    }

    record CloudNumber(UUID sessionId, String digits) {
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("conversa-session-media-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
