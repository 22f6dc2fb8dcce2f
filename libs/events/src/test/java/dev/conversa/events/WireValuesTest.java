package dev.conversa.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import org.junit.jupiter.api.Test;

import dev.conversa.events.cloudevents.CloudEventCodec;
import dev.conversa.events.message.MessageType;
import dev.conversa.events.session.SessionStatus;
import dev.conversa.events.session.SessionTransport;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Enum constants travel as the lower-case strings of DESIGN.md, not as Java constant names. */
class WireValuesTest {

    private final JsonMapper json = new CloudEventCodec().json();

    @Test
    void sessionStatusIsLowerSnakeCase() {
        assertThat(json.writeValueAsString(SessionStatus.QR_READY)).isEqualTo("\"qr_ready\"");
        assertThat(json.writeValueAsString(SessionStatus.LOGGED_OUT)).isEqualTo("\"logged_out\"");
        assertThat(json.readValue("\"logged_out\"", SessionStatus.class)).isEqualTo(SessionStatus.LOGGED_OUT);
    }

    @Test
    void transportIsKebabCase() {
        assertThat(json.writeValueAsString(SessionTransport.CLOUD_API)).isEqualTo("\"cloud-api\"");
        assertThat(json.readValue("\"linked\"", SessionTransport.class)).isEqualTo(SessionTransport.LINKED);
    }

    @Test
    void unknownSessionStatusIsNotRead() {
        assertThatExceptionOfType(JacksonException.class)
                .isThrownBy(() -> json.readValue("\"QR_READY\"", SessionStatus.class));
    }

    @Test
    void messageTypeFromANewerProducerReadsAsUnknown() {
        assertThat(json.writeValueAsString(MessageType.INTERACTIVE)).isEqualTo("\"interactive\"");
        assertThat(json.readValue("\"image\"", MessageType.class)).isEqualTo(MessageType.IMAGE);
        assertThat(json.readValue("\"poll\"", MessageType.class)).isEqualTo(MessageType.UNKNOWN);
    }
}
