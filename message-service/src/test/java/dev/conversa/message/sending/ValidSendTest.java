package dev.conversa.message.sending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.conversa.events.message.MessageType;
import dev.conversa.message.media.MediaKind;
import dev.conversa.message.media.MediaRecord;
import dev.conversa.web.problem.ApiException;

/** The stored file's record against the request: the record decides, contradictions are 422, shape errors 400. */
class ValidSendTest {

    private static final UUID ID = UUID.randomUUID();

    @Test
    void aStoredFileGivesTheCommandItsMimeTypeKindAndDocumentName() {
        ValidSend send = ValidSend.of(request(null, new SendMessageRequest.Media(ID, null, null, null, "Factura")),
                record(MediaKind.DOCUMENT, "application/pdf", "clean"));

        assertThat(send.type()).isEqualTo(MessageType.DOCUMENT);
        assertThat(send.media().mediaId()).isEqualTo(ID);
        assertThat(send.media().mimeType()).isEqualTo("application/pdf");
        assertThat(send.media().filename()).isEqualTo("original.bin");
        assertThat(send.media().caption()).isEqualTo("Factura");
        assertThat(send.preview()).isEqualTo("Factura");
    }

    @Test
    void aFileNotScannedCleanIsRefusedWith422() {
        SendMessageRequest request = request(null, new SendMessageRequest.Media(ID, null, null, null, null));

        for (String result : List.of("infected", "pending")) {
            assertThatThrownBy(() -> ValidSend.of(request, record(MediaKind.IMAGE, "image/jpeg", result)))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.getStatusCode().value()).isEqualTo(422);
                        assertThat(errorFields(e)).containsExactly("media.mediaId");
                    });
        }
        assertThat(ValidSend.of(request, record(MediaKind.IMAGE, "image/jpeg", "not-scanned")).type())
                .isEqualTo(MessageType.IMAGE);
    }

    @Test
    void everyContradictionOfTheRecordIsReportedAtOnce() {
        SendMessageRequest request = request("audio", new SendMessageRequest.Media(ID, null, "image/png", null, null));

        assertThatThrownBy(() -> ValidSend.of(request, record(MediaKind.IMAGE, "image/jpeg", "clean")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getStatusCode().value()).isEqualTo(422);
                    assertThat(errorFields(e)).containsExactlyInAnyOrder("type", "media.mimeType");
                });
    }

    @Test
    void noRecordForTheIdIs422OnMediaId() {
        assertThatThrownBy(() -> ValidSend.of(request(null, new SendMessageRequest.Media(ID, null, null, null, null)),
                null)).isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getStatusCode().value()).isEqualTo(422);
                    assertThat(errorFields(e)).containsExactly("media.mediaId");
                });
    }

    @Test
    void shapeErrorsStay400BeforeTheRecordIsConsulted() {
        SendMessageRequest badMime = request(null, new SendMessageRequest.Media(ID, null, "not a type", null, null));
        assertThatThrownBy(() -> ValidSend.validate(badMime))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getStatusCode().value()).isEqualTo(400));
        // a url still needs its MIME type; a stored file does not
        assertThatThrownBy(() -> ValidSend.validate(request(null,
                new SendMessageRequest.Media(null, "https://example.com/a.jpg", null, null, null))))
                .isInstanceOf(ApiException.class);
        ValidSend.validate(request(null, new SendMessageRequest.Media(ID, null, null, null, null)));
    }

    private static SendMessageRequest request(String type, SendMessageRequest.Media media) {
        return new SendMessageRequest(type, null, media, null, null);
    }

    private static MediaRecord record(MediaKind kind, String mimeType, String scanResult) {
        return new MediaRecord(ID, "tenant-a", null, null, kind, mimeType, 10, "ab", "original.bin", "tenant-a/" + ID,
                scanResult, "user:u1", Instant.now());
    }

    @SuppressWarnings("unchecked")
    private static List<String> errorFields(ApiException e) {
        List<Map<String, String>> errors = (List<Map<String, String>>) e.getBody().getProperties().get("errors");
        return errors.stream().map(error -> error.get("field")).toList();
    }
}
