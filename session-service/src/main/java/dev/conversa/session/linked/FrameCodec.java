package dev.conversa.session.linked;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Frames to and from JSON text. The protocol has its own mapper rather than the application's: its tolerance
 * (unknown fields, missing numbers) is part of the protocol and must not change with the application's settings.
 */
final class FrameCodec {

    private final ObjectReader reader;
    private final ObjectWriter writer;

    FrameCodec() {
        JsonMapper mapper = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
        this.reader = mapper.readerFor(ServerFrame.class);
        this.writer = mapper.writerFor(DeviceFrame.class);
    }

    String write(DeviceFrame frame) {
        return writer.writeValueAsString(frame);
    }

    /**
     * The frame of {@code text}; {@link ServerFrame.Unknown} for a type this version does not know.
     *
     * @throws IllegalArgumentException for text that is not a JSON object with a {@code type}. The message names the
     *                                  problem only, never the frame's content (it may hold a customer's text).
     */
    ServerFrame read(String text) {
        try {
            ServerFrame frame = reader.readValue(text);
            if (frame == null) {
                throw new IllegalArgumentException("a frame is a JSON object");
            }
            return frame;
        }
        catch (JacksonException e) {
            throw new IllegalArgumentException("unreadable frame (" + e.getClass().getSimpleName() + ", "
                    + text.length() + " chars)");
        }
    }
}
