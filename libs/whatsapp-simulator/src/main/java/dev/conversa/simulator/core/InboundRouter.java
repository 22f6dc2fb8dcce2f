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
        List<InboundChannel> serving = channels.orderedStream().filter(channel -> channel.serves(message.to()))
                .toList();
        if (serving.isEmpty()) {
            return Mono.error(new UnknownBusinessNumberException(message.to()));
        }
        phones.resolve(message.from());
        contacts.recordInbound(message.to(), message.from(), message.timestamp());
        truth.recordInbound(message);
        return serving.getFirst().deliver(message);
    }
}
