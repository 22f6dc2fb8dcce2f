package dev.conversa.notification.stream;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * SSE delivery ({@code conversa.notification.stream.*}).
 *
 * @param heartbeat      interval of the keep-alive comment
 * @param clientBuffer   events buffered for one slow client before it is disconnected
 */
@ConfigurationProperties("conversa.notification.stream")
public record StreamProperties(
        @DefaultValue("15s") Duration heartbeat,
        @DefaultValue("256") int clientBuffer) {
}
