package dev.conversa.session.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;

import dev.conversa.events.message.MediaAttachment;
import dev.conversa.events.message.MessageReceived;
import dev.conversa.events.message.MessageType;
import dev.conversa.media.storage.FileSystemMediaStorage;
import dev.conversa.media.storage.MediaKeys;
import dev.conversa.session.cloudapi.CloudApiProperties;
import dev.conversa.session.linked.LinkedProperties;
import dev.conversa.simulator.WhatsAppSimulator;
import tools.jackson.databind.JsonNode;

/**
 * Inbound files fetched from the WhatsApp simulator — Cloud API ({@code GET /{media-id}}, then the URL with the
 * bearer token) and the linked-device protocol's media endpoint — into a real filesystem store.
 */
class InboundMediaTest {

    private static final WhatsAppSimulator SIMULATOR = WhatsAppSimulator.builder()
            .property("simulator.ban.enabled", false)
            .start();
    private static final WebClient HTTP = WebClient.create();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path root;

    FileSystemMediaStorage storage;
    String token;

    @AfterAll
    static void stop() {
        SIMULATOR.close();
    }

    @BeforeEach
    void setUp() {
        storage = new FileSystemMediaStorage(root);
        token = "EAAG-" + UUID.randomUUID();
        String phoneNumberId = "1065" + ThreadLocalRandom.current().nextLong(100_000_000_000L, 999_999_999_999L);
        HTTP.post().uri(SIMULATOR.baseUrl().resolve("/sim/cloud/numbers"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("phoneNumberId", phoneNumberId,
                        "phoneNumber", "+1555" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999),
                        "accessToken", token, "appSecret", "secret-" + UUID.randomUUID(),
                        "verifyToken", "verify", "webhookUrl", "http://127.0.0.1:9/webhooks/whatsapp/x"))
                .retrieve().toBodilessEntity().block(WAIT);
    }

    @Test
    void aCloudApiFileIsDownloadedWithTheBearerTokenAndStoredUnderOurId() throws Exception {
        byte[] photo = randomBytes(300_000);
        String waMediaId = phoneUploads(photo, "image/jpeg", "foto.jpg");
        MessageReceived message = received(waMediaId, "image/jpeg");

        MessageReceived published = inboundMedia(1).fromCloudApi(message, token).block(WAIT);

        MediaAttachment media = published.media();
        assertThat(media.available()).isTrue();
        assertThat(media.mediaId()).isEqualTo(InboundMedia.mediaId(message));
        assertThat(media.fileSize()).isEqualTo(photo.length);
        assertThat(media.sha256()).isEqualTo(sha256(photo));
        assertThat(media.caption()).isEqualTo("la factura");
        assertThat(stored(message.tenantId(), media.mediaId())).isEqualTo(photo);
    }

    @Test
    void aRedeliveredMessageIsStoredUnderTheSameIdOnce() throws Exception {
        String waMediaId = phoneUploads(randomBytes(1000), "audio/ogg", "nota.ogg");
        MessageReceived message = received(waMediaId, "audio/ogg");

        UUID first = inboundMedia(1).fromCloudApi(message, token).block(WAIT).media().mediaId();
        UUID second = inboundMedia(1).fromCloudApi(message, token).block(WAIT).media().mediaId();

        assertThat(second).isEqualTo(first);
        try (var files = Files.walk(root)) {
            assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(1);
        }
    }

    @Test
    void aLinkedDeviceFileComesFromTheProtocolsMediaEndpoint() throws Exception {
        byte[] document = randomBytes(50_000);
        String waMediaId = phoneUploads(document, "application/pdf", "factura.pdf");
        MessageReceived message = received(waMediaId, "application/pdf");

        MessageReceived published = inboundMedia(1).fromLinkedDevice(message).block(WAIT);

        assertThat(published.media().available()).isTrue();
        assertThat(stored(message.tenantId(), published.media().mediaId())).isEqualTo(document);
    }

    @Test
    void aFileThatCannotBeDownloadedIsRetriedThenMarkedUnavailableAndTheMessageGoesOn() throws IOException {
        MessageReceived message = received("999999999999999999", "image/jpeg");

        long started = System.nanoTime();
        MessageReceived published = inboundMedia(3).fromCloudApi(message, token).block(WAIT);

        assertThat(published.waMessageId()).isEqualTo(message.waMessageId());
        assertThat(published.media().available()).isFalse();
        assertThat(published.media().mediaId()).isNull();
        assertThat(published.media().waMediaId()).isEqualTo("999999999999999999");
        // two pauses of at least 50 ms and 100 ms (with jitter): it was tried three times
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        try (var files = Files.walk(root)) {
            assertThat(files.filter(Files::isRegularFile).count()).isZero();
        }
    }

    @Test
    void aWrongTokenLeavesTheMediaUnavailable() {
        String waMediaId = phoneUploads(randomBytes(100), "image/jpeg", "a.jpg");

        MessageReceived published = inboundMedia(2).fromCloudApi(received(waMediaId, "image/jpeg"), "EAAG-wrong")
                .block(WAIT);

        assertThat(published.media().available()).isFalse();
    }

    @Test
    void aFileOverTheLimitIsNotStored() {
        String waMediaId = phoneUploads(randomBytes(20_000), "video/mp4", "v.mp4");
        InboundMedia small = new InboundMedia(downloads(), storage,
                new InboundMediaProperties(3, Duration.ofMillis(50), Duration.ofSeconds(10), DataSize.ofKilobytes(10)));

        MessageReceived published = small.fromCloudApi(received(waMediaId, "video/mp4"), token).block(WAIT);

        assertThat(published.media().available()).isFalse();
    }

    @Test
    void messagesWithoutAFilePassUnchanged() {
        MessageReceived text = new MessageReceived("tenant-media", UUID.randomUUID(), "wamid.text", "+5491155550000",
                null, MessageType.TEXT, "hola", null, null, null, null, null, Instant.now(), Instant.now());

        assertThat(inboundMedia(1).fromCloudApi(text, token).block(WAIT)).isSameAs(text);
    }

    private InboundMedia inboundMedia(int attempts) {
        return new InboundMedia(downloads(), storage,
                new InboundMediaProperties(attempts, Duration.ofMillis(50), Duration.ofSeconds(10),
                        DataSize.ofMegabytes(100)));
    }

    private static MediaDownloads downloads() {
        return new MediaDownloads(WebClient.create(), CloudApiProperties.defaults().withBaseUrl(SIMULATOR.baseUrl()),
                LinkedProperties.defaults(SIMULATOR.linkedDeviceUrl()));
    }

    private static MessageReceived received(String waMediaId, String mimeType) {
        return new MessageReceived("tenant-media", UUID.randomUUID(), "wamid." + UUID.randomUUID(),
                "+5491155550000", "Ana", MessageType.IMAGE, null,
                new MediaAttachment(waMediaId, mimeType, "c2hhIGZyb20gd2hhdHNhcHA=", 1L, null, "la factura", null),
                null, null, null, null, Instant.now(), Instant.now());
    }

    /** What a customer's phone attaches: {@code POST /sim/media}. */
    private static String phoneUploads(byte[] bytes, String mimeType, String filename) {
        MultipartBodyBuilder form = new MultipartBodyBuilder();
        form.part("file", bytes).filename(filename).contentType(MediaType.parseMediaType(mimeType));
        JsonNode uploaded = HTTP.post().uri(SIMULATOR.baseUrl().resolve("/sim/media"))
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form.build()))
                .retrieve().bodyToMono(JsonNode.class).block(WAIT);
        return uploaded.path("id").asString();
    }

    private byte[] stored(String tenantId, UUID mediaId) {
        return DataBufferUtils.join(storage.get(MediaKeys.of(tenantId, mediaId))).map(buffer -> {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            DataBufferUtils.release(buffer);
            return bytes;
        }).block(WAIT);
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
