package dev.conversa.notification.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class SseFrameTest {

    private static final StreamId ID = new StreamId(1700000000000L, 3);

    @Test
    void encodesIdEventAndDataAsOneFrame() {
        SseFrame frame = SseFrame.of(event("{\"text\":\"hola ñandú\"}"));

        assertThat(new String(frame.bytes(), StandardCharsets.UTF_8))
                .isEqualTo("id:1700000000000-3\nevent:message.new\ndata:{\"text\":\"hola ñandú\"}\n\n");
    }

    @Test
    void splitsDataWithLineBreaksIntoOneDataFieldPerLine() {
        SseFrame frame = SseFrame.of(event("one\r\ntwo\nthree\rfour"));

        assertThat(new String(frame.bytes(), StandardCharsets.UTF_8)).isEqualTo(
                "id:1700000000000-3\nevent:message.new\ndata:one\ndata:two\ndata:three\ndata:four\n\n");
    }

    @Test
    void resetFrameCarriesNoIdSoTheClientKeepsItsLastEventId() {
        SseFrame frame = SseFrame.withoutId(event("{\"reason\":\"replay-truncated\"}"));

        assertThat(new String(frame.bytes(), StandardCharsets.UTF_8))
                .doesNotContain("id:")
                .startsWith("event:message.new\n");
    }

    private static ClientEvent event(String data) {
        return new ClientEvent(ID, "message.new", "tenant-a", Scope.CONVERSATION, List.of(), data);
    }
}
