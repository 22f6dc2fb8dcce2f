package dev.conversa.session.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
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
import dev.conversa.events.message.MediaAttachment;
import dev.conversa.events.message.MessageReceived;
import dev.conversa.media.storage.MediaKeys;
import dev.conversa.messaging.EventPublisher;
import dev.conversa.session.ownership.CommandPartitionOwnership;
import dev.conversa.simulator.WhatsAppSimulator;
import dev.conversa.testsupport.ConversaIntegrationTest;
import dev.conversa.testsupport.TopicRecords;
import tools.jackson.databind.JsonNode;

/**
 * A customer's photo, end to end through both transports of a running session-service: the simulator delivers the
 * message (linked-device socket, or signed Cloud API webhook), session-service downloads the file from WhatsApp,
 * stores it, and {@code received} carries our media id — the bytes are in the media storage under it.
 */
@ConversaIntegrationTest
@TestPropertySource(properties = "spring.cloud.stream.bindings.handleCommand-in-0.consumer.auto-startup=true")
class InboundMediaRuntimeIntegrationTest {

    static final WhatsAppSimulator SIMULATOR = RuntimeFixtures.startSimulator("0s");
    static final Path STORAGE = tempDir();

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

    @LocalServerPort
    int port;

    RuntimeFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new RuntimeFixtures(web, SIMULATOR, publisher, "tenant-media");
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
        CloudNumber number = registerCloudNumberAndCreateSession();
        fixtures.awaitStatus(number.sessionId(), "connected");
        byte[] photo = randomBytes(80_000);

        MediaAttachment media = customerSendsPhoto(number.digits(), number.sessionId(), photo);

        assertStored(media, photo);
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

    private CloudNumber registerCloudNumberAndCreateSession() {
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
                .bodyValue(Map.of("name", "media-cloud", "transport", "cloud-api", "cloudApi", Map.of(
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
