package dev.conversa.simulator.cloudapi;

import org.springframework.stereotype.Component;

import dev.conversa.simulator.core.ChannelFullException;
import dev.conversa.simulator.core.InboundChannel;
import dev.conversa.simulator.core.InboundMessage;
import dev.conversa.simulator.core.UnknownBusinessNumberException;
import reactor.core.publisher.Mono;

/**
 * Serves every registered Cloud API number: a phone's message goes into the number's webhook queue, and its id is
 * remembered so the business may mark it as read.
 */
@Component
class CloudApiInboundChannel implements InboundChannel {

    private final CloudNumbers numbers;

    CloudApiInboundChannel(CloudNumbers numbers) {
        this.numbers = numbers;
    }

    @Override
    public boolean serves(String businessNumber) {
        return numbers.registeredByPhone(businessNumber).isPresent();
    }

    @Override
    public Mono<Void> deliver(InboundMessage message) {
        return Mono.defer(() -> {
            RegisteredNumber number = numbers.registeredByPhone(message.to()).orElse(null);
            if (number == null) {
                return Mono.error(new UnknownBusinessNumberException(message.to()));
            }
            number.rememberReceived(message.waMessageId());
            if (!number.webhooks().inbound(message)) {
                return Mono.error(new WebhookQueueFullException(number.number().phoneNumberId()));
            }
            return Mono.empty();
        });
    }

    /** The number's webhook queue is full: the receiver has been failing or slow for too long. */
    static class WebhookQueueFullException extends ChannelFullException {

        WebhookQueueFullException(String phoneNumberId) {
            super("The webhook queue of phone number id " + phoneNumberId + " is full");
        }
    }
}
