package dev.conversa.simulator.control;

import java.time.Clock;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.conversa.simulator.core.InboundMessage;
import dev.conversa.simulator.core.InboundRouter;
import dev.conversa.simulator.phone.PhoneBook;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Phones write to business numbers: one message, or a batch in order. */
@RestController
class InboundController {

    static final int MAX_BATCH = 10_000;

    record Injected(String waMessageId, String from, String to) {
    }

    record Batch(List<InjectMessage> messages) {
    }

    record BatchResult(int accepted, List<Injected> messages) {
    }

    private final InboundRouter router;
    private final PhoneBook phones;
    private final Clock clock;

    InboundController(InboundRouter router, PhoneBook phones, Clock clock) {
        this.router = router;
        this.phones = phones;
        this.clock = clock;
    }

    @PostMapping("/sim/phones/{from}/messages")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<Injected> send(@PathVariable String from, @RequestBody InjectMessage request) {
        return Mono.fromCallable(() -> request.toInbound(phones.resolve(from), clock.instant(), null))
                .flatMap(this::deliver);
    }

    @PostMapping("/sim/inbound/batch")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<BatchResult> batch(@RequestBody Batch batch) {
        if (batch.messages() == null || batch.messages().isEmpty() || batch.messages().size() > MAX_BATCH) {
            return Mono.error(new IllegalArgumentException("A batch holds 1 to " + MAX_BATCH + " messages"));
        }
        return Flux.fromIterable(batch.messages())
                .concatMap(message -> {
                    if (message.from() == null) {
                        return Mono.error(new IllegalArgumentException("Every batch message needs 'from'"));
                    }
                    return deliver(message.toInbound(phones.resolve(message.from()), clock.instant(), null));
                })
                .collectList()
                .map(done -> new BatchResult(done.size(), done));
    }

    private Mono<Injected> deliver(InboundMessage message) {
        return router.deliver(message).thenReturn(new Injected(message.waMessageId(), message.from(), message.to()));
    }
}
