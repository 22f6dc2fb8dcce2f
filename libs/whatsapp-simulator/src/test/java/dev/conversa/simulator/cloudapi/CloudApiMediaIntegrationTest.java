package dev.conversa.simulator.cloudapi;

import static dev.conversa.simulator.cloudapi.CloudApiFixture.answer;
import static dev.conversa.simulator.cloudapi.CloudApiFixture.customerWrites;
import static dev.conversa.simulator.cloudapi.CloudApiFixture.register;
import static dev.conversa.simulator.cloudapi.CloudApiFixture.send;
import static dev.conversa.simulator.cloudapi.CloudApiFixture.uniqueCustomer;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import dev.conversa.simulator.WhatsAppSimulatorExtension;
import dev.conversa.simulator.webhook.WebhookReceiver;
import tools.jackson.databind.JsonNode;

class CloudApiMediaIntegrationTest {

    @RegisterExtension
    static final WhatsAppSimulatorExtension whatsapp = new WhatsAppSimulatorExtension()
            .withProperty("simulator.media.url-ttl", "2s");

    private final WebhookReceiver receiver = WebhookReceiver.start();
    private final WebTestClient client = CloudApiFixture.client(whatsapp.simulator());

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private static MultipartBodyBuilder multipart(byte[] bytes, MediaType type, String filename,
            boolean withProduct) {
        MultipartBodyBuilder builder = new MultipartBodyBuilder();
        if (withProduct) {
            builder.part("messaging_product", "whatsapp");
        }
        builder.part("file", new ByteArrayResource(bytes) {
            @Override
            public String getFilename() {
                return filename;
            }
        }).contentType(type);
        return builder;
    }

    private CloudApiFixture.Answer upload(CloudApiFixture.Number number, MultipartBodyBuilder builder) {
        return answer(client.post().uri("/v25.0/" + number.phoneNumberId() + "/media")
                .headers(headers -> headers.setBearerAuth(number.token()))
                .body(BodyInserters.fromMultipartData(builder.build()))
                .exchange());
    }

    private CloudApiFixture.Answer mediaUrl(CloudApiFixture.Number number, String mediaId) {
        return answer(client.get().uri("/v25.0/" + mediaId)
                .headers(headers -> headers.setBearerAuth(number.token())).exchange());
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void anUploadGetsAnIdWhoseSignedUrlDownloadsTheBytesWithTheBearer() throws Exception {
        CloudApiFixture.Number number = register(client, receiver.url());
        byte[] png = "\u0089PNG fake image".getBytes(StandardCharsets.ISO_8859_1);

        CloudApiFixture.Answer uploaded = upload(number, multipart(png, MediaType.IMAGE_PNG, "a.png", true));

        assertThat(uploaded.status()).isEqualTo(HttpStatus.OK);
        String id = uploaded.body().path("id").asString();
        assertThat(id).matches("[0-9]{18,19}");
        JsonNode media = mediaUrl(number, id).body();
        assertThat(media.path("messaging_product").asString()).isEqualTo("whatsapp");
        assertThat(media.path("id").asString()).isEqualTo(id);
        assertThat(media.path("mime_type").asString()).isEqualTo("image/png");
        assertThat(media.path("sha256").asString()).isEqualTo(sha256(png));
        assertThat(media.path("file_size").longValue()).isEqualTo(png.length);
        String url = media.path("url").asString();
        assertThat(url).startsWith(whatsapp.simulator().baseUrl() + "/media-download/" + id + "?expires=");

        byte[] downloaded = client.get().uri(URI.create(url))
                .headers(headers -> headers.setBearerAuth(number.token()))
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.IMAGE_PNG)
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(downloaded).isEqualTo(png);
        CloudApiFixture.Answer withoutBearer = answer(client.get().uri(URI.create(url)).exchange());
        assertThat(withoutBearer.status()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(withoutBearer.errorCode()).isEqualTo(190);
    }

    @Test
    void aDownloadUrlAnswers404OnceExpiredOrTampered() throws InterruptedException {
        CloudApiFixture.Number number = register(client, receiver.url());
        String id = upload(number, multipart(new byte[] {1, 2, 3}, MediaType.IMAGE_JPEG, "a.jpg", true))
                .body().path("id").asString();
        String url = mediaUrl(number, id).body().path("url").asString();

        client.get().uri(URI.create(url.replaceAll("sig=.*", "sig=00")))
                .headers(headers -> headers.setBearerAuth(number.token()))
                .exchange().expectStatus().isNotFound().expectBody(Void.class);
        Thread.sleep(2100);

        client.get().uri(URI.create(url)).headers(headers -> headers.setBearerAuth(number.token()))
                .exchange().expectStatus().isNotFound().expectBody(Void.class);
        String fresh = mediaUrl(number, id).body().path("url").asString();
        client.get().uri(URI.create(fresh)).headers(headers -> headers.setBearerAuth(number.token()))
                .exchange().expectStatus().isOk().expectBody(Void.class);
    }

    @Test
    void deletedMediaIsGone() {
        CloudApiFixture.Number number = register(client, receiver.url());
        String id = upload(number, multipart(new byte[] {1}, MediaType.IMAGE_JPEG, "a.jpg", true))
                .body().path("id").asString();

        CloudApiFixture.Answer deleted = answer(client.delete().uri("/v25.0/" + id)
                .headers(headers -> headers.setBearerAuth(number.token())).exchange());

        assertThat(deleted.body().path("success").booleanValue()).isTrue();
        CloudApiFixture.Answer lookup = mediaUrl(number, id);
        assertThat(lookup.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(lookup.errorCode()).isEqualTo(100);
    }

    @Test
    void anImageOverFiveMegabytesIsRefusedWith131053() {
        CloudApiFixture.Number number = register(client, receiver.url());

        CloudApiFixture.Answer answer = upload(number,
                multipart(new byte[5 * 1024 * 1024 + 1], MediaType.IMAGE_JPEG, "big.jpg", true));

        assertThat(answer.status()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
        assertThat(answer.errorCode()).isEqualTo(131053);
        assertThat(answer.body().path("error").path("error_data").path("details").asString()).contains("5 MB");
    }

    @Test
    void aTypeWhatsAppDoesNotTakeIsRefusedWith131053() {
        CloudApiFixture.Number number = register(client, receiver.url());

        CloudApiFixture.Answer answer = upload(number,
                multipart(new byte[] {1}, MediaType.IMAGE_GIF, "a.gif", true));

        assertThat(answer.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(answer.errorCode()).isEqualTo(131053);
    }

    @Test
    void anUploadWithoutMessagingProductOrFileAnswers100() {
        CloudApiFixture.Number number = register(client, receiver.url());
        MultipartBodyBuilder noFile = new MultipartBodyBuilder();
        noFile.part("messaging_product", "whatsapp");

        CloudApiFixture.Answer withoutProduct = upload(number,
                multipart(new byte[] {1}, MediaType.IMAGE_JPEG, "a.jpg", false));
        CloudApiFixture.Answer withoutFile = upload(number, noFile);

        assertThat(withoutProduct.errorCode()).isEqualTo(100);
        assertThat(withoutFile.errorCode()).isEqualTo(100);
    }

    @Test
    void anUploadedImageCanBeSentById() {
        CloudApiFixture.Number number = register(client, receiver.url());
        String customer = uniqueCustomer();
        customerWrites(whatsapp.simulator(), customer, number.phoneNumber(), "¿Foto?");
        String id = upload(number, multipart(new byte[] {1}, MediaType.IMAGE_JPEG, "a.jpg", true))
                .body().path("id").asString();

        CloudApiFixture.Answer byId = send(client, number, "{'messaging_product':'whatsapp','to':'" + customer
                + "','type':'image','image':{'id':'" + id + "','caption':'Acá está'}}");
        CloudApiFixture.Answer unknownId = send(client, number, "{'messaging_product':'whatsapp','to':'"
                + customer + "','type':'image','image':{'id':'123'}}");

        assertThat(byId.status()).isEqualTo(HttpStatus.OK);
        assertThat(unknownId.errorCode()).isEqualTo(131009);
    }

    @Test
    void getOfAPhoneNumberIdAnswersTheNumbersProfile() {
        CloudApiFixture.Number number = register(client, receiver.url());

        JsonNode profile = mediaUrl(number, number.phoneNumberId()).body();

        assertThat(profile.path("id").asString()).isEqualTo(number.phoneNumberId());
        assertThat(profile.path("display_phone_number").asString()).isEqualTo("+" + number.phoneNumber());
        assertThat(profile.path("quality_rating").asString()).isEqualTo("GREEN");
    }
}
