package dev.conversa.simulator.linked;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import dev.conversa.simulator.WhatsAppSimulatorExtension;
import dev.conversa.simulator.ban.BanModel;
import dev.conversa.simulator.media.MediaStore;
import dev.conversa.simulator.media.MediaView;
import dev.conversa.simulator.truth.GroundTruth;
import tools.jackson.databind.JsonNode;

class LinkedMediaUploadTest {

    @RegisterExtension
    static final WhatsAppSimulatorExtension SIMULATOR = new WhatsAppSimulatorExtension()
            .withProperty("simulator.linked.tick", "10ms");

    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10, 'J', 'F', 'I',
            'F', 0, 1, 2, 3};

    private final LinkedFixtures fixtures = new LinkedFixtures(SIMULATOR.simulator());
    private final String business = LinkedFixtures.newNumber();
    private final String customer = LinkedFixtures.newNumber();

    @Test
    void aPairedDeviceUploadsAFileAndSendsItByItsMediaId() {
        JsonNode credentials = fixtures.pair(business);
        MediaView uploaded = upload(basic(credentials), JPEG, MediaType.IMAGE_JPEG, "foto.jpg")
                .expectStatus().isOk()
                .expectBody(MediaView.class).returnResult().getResponseBody();
        assertThat(uploaded).isNotNull();
        assertThat(uploaded.mimeType()).isEqualTo("image/jpeg");
        assertThat(uploaded.fileSize()).isEqualTo(JPEG.length);
        assertThat(uploaded.sha256()).isEqualTo(MediaStore.sha256Hex(JPEG));

        try (TestDevice device = fixtures.online(credentials, TestDevice.Acks.AUTO)) {
            device.send(Map.of("type", "send", "clientRef", "photo-1", "to", customer,
                    "message", Map.of("type", "image", "mediaId", uploaded.id(), "caption", "la foto")));
            JsonNode ack = device.expect("ack");
            assertThat(ack.has("error")).as("ack %s", ack).isFalse();
        }
        GroundTruth.ClientRefSends sends = fixtures.bean(GroundTruth.class).sends(business, "photo-1");
        assertThat(sends.count()).isEqualTo(1);
        assertThat(sends.type()).isEqualTo("image");
        assertThat(sends.mediaId()).isEqualTo(uploaded.id());
        byte[] received = fixtures.http().get().uri("/linked/v1/media/" + uploaded.id()).exchange()
                .expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(received).isEqualTo(JPEG);
    }

    @Test
    void aSendNamingAMediaIdNobodyUploadedIsAckedWithError400() {
        try (TestDevice device = fixtures.online(business)) {
            device.send(Map.of("type", "send", "clientRef", "ghost-1", "to", customer,
                    "message", Map.of("type", "document", "mediaId", "never-uploaded")));
            JsonNode ack = device.expect("ack");
            assertThat(ack.path("error").path("code").asInt()).isEqualTo(400);
            assertThat(ack.path("error").path("reason").asString()).contains("unknown mediaId");
        }
        assertThat(fixtures.bean(GroundTruth.class).sends(business, "ghost-1").count()).isZero();
    }

    @Test
    void anUploadWithWrongOrNoCredentialsIsRefused401() {
        JsonNode credentials = fixtures.pair(business);
        String forged = "Basic " + Base64.getEncoder().encodeToString(
                (credentials.path("deviceId").asString() + ":not-the-secret").getBytes(StandardCharsets.UTF_8));

        upload(forged, JPEG, MediaType.IMAGE_JPEG, "foto.jpg").expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        upload(null, JPEG, MediaType.IMAGE_JPEG, "foto.jpg").expectStatus().isUnauthorized();
    }

    @Test
    void aBannedNumbersDeviceCannotUpload() {
        JsonNode credentials = fixtures.pair(business);
        fixtures.bean(BanModel.class).ban(business, "reported as spam");

        upload(basic(credentials), JPEG, MediaType.IMAGE_JPEG, "foto.jpg").expectStatus().isForbidden();
    }

    @Test
    void whatsAppsTypeAndSizeRulesApplyToUploads() {
        JsonNode credentials = fixtures.pair(business);

        upload(basic(credentials), "MZ-program".getBytes(StandardCharsets.US_ASCII),
                MediaType.parseMediaType("application/x-msdownload"), "setup.exe")
                .expectStatus().isEqualTo(415);
        upload(basic(credentials), new byte[5 * 1024 * 1024 + 1], MediaType.IMAGE_JPEG, "huge.jpg")
                .expectStatus().isEqualTo(413);
    }

    private WebTestClient.ResponseSpec upload(String authorization, byte[] bytes, MediaType type, String filename) {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", new ByteArrayResource(bytes) {
            @Override
            public String getFilename() {
                return filename;
            }
        }).contentType(type);
        return fixtures.http().post().uri(LinkedMediaUploadController.PATH)
                .headers(headers -> {
                    if (authorization != null) {
                        headers.set(HttpHeaders.AUTHORIZATION, authorization);
                    }
                })
                .body(BodyInserters.fromMultipartData(body.build()))
                .exchange();
    }

    private static String basic(JsonNode credentials) {
        return "Basic " + Base64.getEncoder().encodeToString((credentials.path("deviceId").asString() + ":"
                + credentials.path("secret").asString()).getBytes(StandardCharsets.UTF_8));
    }
}
