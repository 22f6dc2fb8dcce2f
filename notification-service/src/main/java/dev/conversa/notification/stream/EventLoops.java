package dev.conversa.notification.stream;

import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.AbstractServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;

import reactor.netty.Connection;

/**
 * The Netty event loop that writes a WebFlux response, so that the hub can queue a client's events on the thread
 * that owns its socket (see {@link EventHub}): what is emitted there is written at once, not handed over as a task.
 */
final class EventLoops {

    private EventLoops() {
    }

    /**
     * The event loop of {@code response}'s connection, through any decorators; {@code null} when the response is
     * not Reactor Netty's (a handler bound to a test client, another server).
     */
    static @Nullable Executor of(ServerHttpResponse response) {
        ServerHttpResponse current = response;
        while (current instanceof ServerHttpResponseDecorator decorator) {
            current = decorator.getDelegate();
        }
        if (current instanceof AbstractServerHttpResponse server
                && server.getNativeResponse() instanceof Connection connection) {
            return connection.channel().eventLoop();
        }
        return null;
    }
}
