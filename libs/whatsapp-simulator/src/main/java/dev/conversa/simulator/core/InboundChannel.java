package dev.conversa.simulator.core;

import reactor.core.publisher.Mono;

/**
 * Where messages to a business number go: its live linked device, or its Cloud API webhook. Each transport
 * registers one as a bean; {@link InboundRouter} picks the one that serves the number.
 */
public interface InboundChannel {

    /** Whether this channel serves {@code businessNumber} (digits). */
    boolean serves(String businessNumber);

    /**
     * Hands the message over: to the device's socket (or its offline queue), or to the webhook queue. Completes when
     * the channel has taken responsibility for it.
     */
    Mono<Void> deliver(InboundMessage message);
}
