package dev.conversa.simulator.linked;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;

import reactor.core.publisher.Mono;

/**
 * {@code /linked/v1}: each WebSocket gets a {@link DeviceConnection}; its frames are read by {@link LinkedProtocol},
 * and its outbound sink is sent until it completes, after which the socket is closed with the recorded status.
 */
@Component
class LinkedDeviceHandler implements WebSocketHandler {

    private final LinkedDeviceRegistry registry;
    private final LinkedProtocol protocol;

    LinkedDeviceHandler(LinkedDeviceRegistry registry, LinkedProtocol protocol) {
        this.registry = registry;
        this.protocol = protocol;
    }

    @Override
    public Mono<Void> handle(WebSocketSession session) {
        DeviceConnection connection = registry.connect(session);
        Mono<Void> input = session.receive()
                .filter(message -> message.getType() == WebSocketMessage.Type.TEXT)
                .doOnNext(message -> protocol.onFrame(connection, message.getPayloadAsText()))
                .then()
                .doFinally(signal -> registry.terminated(connection));
        Mono<Void> output = session.send(connection.frames().map(session::textMessage))
                .then(Mono.defer(() -> session.close(connection.closeStatus())));
        return Mono.when(input, output).doFinally(signal -> registry.terminated(connection));
    }
}
