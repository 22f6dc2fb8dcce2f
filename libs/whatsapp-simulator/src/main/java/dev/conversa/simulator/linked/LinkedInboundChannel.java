package dev.conversa.simulator.linked;

import org.springframework.stereotype.Component;

import dev.conversa.simulator.core.InboundChannel;
import dev.conversa.simulator.core.InboundMessage;
import reactor.core.publisher.Mono;

/**
 * Messages to a number with a linked device become {@code message} frames (their {@code deliveryId} is the
 * {@code waMessageId}): live, or queued until it opens.
 */
@Component
class LinkedInboundChannel implements InboundChannel {

    private final LinkedDeviceRegistry registry;
    private final FrameCodec codec;

    LinkedInboundChannel(LinkedDeviceRegistry registry, FrameCodec codec) {
        this.registry = registry;
        this.codec = codec;
    }

    @Override
    public boolean serves(String businessNumber) {
        return registry.serves(businessNumber);
    }

    @Override
    public Mono<Void> deliver(InboundMessage message) {
        return Mono.fromRunnable(() -> registry.deliver(message.to(), message.waMessageId(),
                codec.write(frame(message))));
    }

    static ServerFrame.Message frame(InboundMessage message) {
        InboundMessage.Media media = message.media();
        InboundMessage.Location location = message.location();
        InboundMessage.Reaction reaction = message.reaction();
        InboundMessage.ButtonReply button = message.buttonReply();
        return new ServerFrame.Message(
                message.waMessageId(),
                message.waMessageId(),
                message.from(),
                message.to(),
                message.pushName(),
                message.type(),
                message.text(),
                media == null ? null : new ServerFrame.Media(media.id(), media.mimeType(), media.sha256(),
                        media.fileSize(), media.filename(), media.caption()),
                location == null ? null : new ServerFrame.Location(location.latitude(), location.longitude(),
                        location.name(), location.address()),
                reaction == null ? null : new ServerFrame.Reaction(reaction.waMessageId(), reaction.emoji()),
                button == null ? null : new ServerFrame.ButtonReply(button.id(), button.title()),
                message.contextWaMessageId(),
                message.timestamp().toString(),
                message.sentAtMicros());
    }
}
