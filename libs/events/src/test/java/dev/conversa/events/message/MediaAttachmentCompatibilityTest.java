package dev.conversa.events.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.conversa.events.cloudevents.CloudEventCodec;
import tools.jackson.databind.json.JsonMapper;

/** {@code available} was added to the media of received and stored messages without breaking either side. */
class MediaAttachmentCompatibilityTest {

    private final JsonMapper json = new CloudEventCodec().json();

    @Test
    void aPayloadWrittenBeforeTheFieldExistedStillReadsWithAvailabilityUnknown() {
        String older = """
                {"waMediaId":"1093847561029384","mimeType":"image/jpeg","sha256":"abc","fileSize":10,
                 "filename":null,"caption":"hola","mediaId":null}""";

        MediaAttachment media = json.readValue(older.getBytes(StandardCharsets.UTF_8), MediaAttachment.class);

        assertThat(media.available()).isNull();
        assertThat(media.caption()).isEqualTo("hola");
    }

    @Test
    void storedAndUnavailableCarryWhatConsumersNeed() {
        MediaAttachment received = new MediaAttachment("wa-1", "audio/ogg", "base64sha", 9L, null, null, null);
        UUID id = UUID.randomUUID();

        assertThat(received.stored(id, "hexsha", 12L))
                .extracting(MediaAttachment::mediaId, MediaAttachment::available, MediaAttachment::sha256,
                        MediaAttachment::fileSize)
                .containsExactly(id, true, "hexsha", 12L);
        assertThat(received.unavailable())
                .extracting(MediaAttachment::mediaId, MediaAttachment::available, MediaAttachment::waMediaId)
                .containsExactly(null, false, "wa-1");
    }
}
