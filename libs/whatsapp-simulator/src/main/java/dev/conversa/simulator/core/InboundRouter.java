package dev.conversa.simulator.core;

import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import dev.conversa.simulator.phone.ContactLedger;
import dev.conversa.simulator.phone.PhoneBook;
import dev.conversa.simulator.truth.GroundTruth;
import reactor.core.publisher.Mono;

/** Routes a phone's message to the channel that serves the business number, and keeps the ground truth of it. */
@Component
public class InboundRouter {

    private final ObjectProvider<InboundChannel> channels;
    private volatile List<InboundChannel> resolvedChannels;
    private final ContactLedger contacts;
    private final PhoneBook phones;
    private final GroundTruth truth;

    public InboundRouter(ObjectProvider<InboundChannel> channels, ContactLedger contacts, PhoneBook phones,
            GroundTruth truth) {
        this.channels = channels;
        this.contacts = contacts;
        this.phones = phones;
        this.truth = truth;
    }

    public Mono<Void> deliver(InboundMessage message) {
        InboundChannel serving = null;
        for (InboundChannel channel : channels()) {
            if (channel.serves(message.to())) {
                serving = channel;
                break;
            }
        }
        if (serving == null) {
            return Mono.error(new UnknownBusinessNumberException(message.to()));
        }
        phones.resolve(message.from());
        contacts.recordInbound(message.to(), message.from(), message.timestamp());
        truth.recordInbound(message);
        return serving.deliver(message);
    }

    /** The channel beans, resolved once on first use (they are singletons; resolved late to avoid a cycle). */
    private List<InboundChannel> channels() {
        List<InboundChannel> resolved = resolvedChannels;
        if (resolved == null) {
            resolved = channels.orderedStream().toList();
            resolvedChannels = resolved;
        }
        return resolved;
    }
}
