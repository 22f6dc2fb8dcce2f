package dev.conversa.simulator.control;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import dev.conversa.simulator.core.InboundMessage;
import dev.conversa.simulator.core.WaMessageIds;
import dev.conversa.simulator.phone.Phone;
import dev.conversa.simulator.phone.PhoneNumbers;

/**
 * A message a phone sends, as the control API takes it. {@code from} comes from the path for single messages and
 * from the body in batches; {@code type} defaults to {@code text}.
 */
record InjectMessage(
        @Nullable String from,
        String to,
        @Nullable String type,
        @Nullable String text,
        InboundMessage.@Nullable Media media,
        InboundMessage.@Nullable Location location,
        InboundMessage.@Nullable Reaction reaction,
        InboundMessage.@Nullable ButtonReply buttonReply,
        @Nullable String contextWaMessageId) {

    InboundMessage toInbound(Phone sender, Instant now, @Nullable Long sentAtMicros) {
        String kind = type == null ? "text" : type;
        if ("text".equals(kind) && (text == null || text.isBlank())) {
            throw new IllegalArgumentException("A text message needs text");
        }
        return new InboundMessage(WaMessageIds.next(), sender.number(), PhoneNumbers.digits(to), sender.name(), kind,
                text, media, location, reaction, buttonReply, contextWaMessageId, now, sentAtMicros);
    }
}
