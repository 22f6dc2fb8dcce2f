package dev.conversa.simulator.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import dev.conversa.simulator.WhatsAppSimulatorExtension;

class MediaControlIntegrationTest {

    @RegisterExtension
    static final WhatsAppSimulatorExtension whatsapp = new WhatsAppSimulatorExtension();

    private final WebTestClient client = WebTestClient.bindToServer()
            .baseUrl(whatsapp.simulator().baseUrl().toString()).responseTimeout(Duration.ofSeconds(10)).build();

    private static MultipartBodyBuilder file(byte[] bytes, MediaType type, String filename) {
        MultipartBodyBuilder builder = new MultipartBodyBuilder();
        builder.part("file", new ByteArrayResource(bytes) {
            @Override
            public String getFilename() {
                return filename;
            }
        }).contentType(type);
        return builder;
    }

    @Test
    void aPhonesFileIsStoredAndServedRawToLinkedDevices() {
        byte[] gif = "GIF89a-animated".getBytes();

        MediaView view = client.post().uri("/sim/media")
                .body(BodyInserters.fromMultipartData(file(gif, MediaType.IMAGE_GIF, "risa.gif").build()))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(MediaView.class).returnResult().getResponseBody();

        assertThat(view).isNotNull();
        assertThat(view.mimeType()).isEqualTo("image/gif");
        assertThat(view.fileSize()).isEqualTo(gif.length);
        assertThat(view.filename()).isEqualTo("risa.gif");
        assertThat(view.sha256()).isEqualTo(MediaStore.sha256Hex(gif));
        byte[] downloaded = client.get().uri("/linked/v1/media/" + view.id())
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.IMAGE_GIF)
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(downloaded).isEqualTo(gif);
    }

    @Test
    void theTypeFieldNamesTheMimeTypeOfAnUntypedFile() {
        MultipartBodyBuilder builder = file(new byte[] {1, 2}, MediaType.APPLICATION_OCTET_STREAM, "nota.ogg");
        builder.part("type", "audio/ogg");

        MediaView view = client.post().uri("/sim/media").body(BodyInserters.fromMultipartData(builder.build()))
                .exchange().expectStatus().isCreated()
                .expectBody(MediaView.class).returnResult().getResponseBody();

        assertThat(view).isNotNull();
        assertThat(view.mimeType()).isEqualTo("audio/ogg");
    }

    @Test
    void anUnknownMediaIdAnswers404Problem() {
        client.get().uri("/linked/v1/media/123456789012345678")
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(Void.class);
    }

    @Test
    void anUploadWithoutFileIsABadRequestProblem() {
        MultipartBodyBuilder builder = new MultipartBodyBuilder();
        builder.part("type", "image/png");

        client.post().uri("/sim/media").body(BodyInserters.fromMultipartData(builder.build()))
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(Void.class);
    }
}
