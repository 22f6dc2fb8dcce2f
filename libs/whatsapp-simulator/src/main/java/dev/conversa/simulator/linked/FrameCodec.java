package dev.conversa.simulator.linked;

import org.springframework.stereotype.Component;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.json.JsonMapper;

/** Frames to and from JSON text, with the application's {@link JsonMapper}. */
@Component
class FrameCodec {

    private final ObjectWriter writer;
    private final ObjectReader reader;

    FrameCodec(JsonMapper mapper) {
        this.writer = mapper.writerFor(ServerFrame.class);
        this.reader = mapper.readerFor(DeviceFrame.class);
    }

    String write(ServerFrame frame) {
        return writer.writeValueAsString(frame);
    }

    /** @throws BadFrameException for text that is not a device frame of protocol v1 */
    DeviceFrame read(String text) {
        try {
            DeviceFrame frame = reader.readValue(text);
            if (frame == null) {
                throw new BadFrameException("a frame is a JSON object");
            }
            return frame;
        }
        catch (InvalidTypeIdException e) {
            throw new BadFrameException(e.getTypeId() == null ? "a frame needs a type"
                    : "unknown frame type: " + e.getTypeId());
        }
        catch (JacksonException e) {
            throw new BadFrameException("malformed frame: " + e.getOriginalMessage());
        }
    }

    static final class BadFrameException extends RuntimeException {

        BadFrameException(String message) {
            super(message, null, false, false);
        }
    }
}
