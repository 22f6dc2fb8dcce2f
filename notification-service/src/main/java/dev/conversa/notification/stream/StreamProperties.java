package dev.conversa.notification.stream;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/**
 * SSE delivery and replay ({@code conversa.notification.stream.*}).
 *
 * @param heartbeat    interval of the keep-alive comment
 * @param clientBuffer events queued for one client that does not keep up before it is disconnected (it reconnects
 *                     with {@code Last-Event-ID} and catches up from the replay log)
 * @param maxLength    entries kept per tenant in the replay log (Redis Stream, trimmed {@code MAXLEN ~})
 * @param retention    how long an entry stays in the replay log at most (trimmed {@code MINID ~} on every add)
 * @param dedupeTtl    how long the CloudEvent id of a relayed event is remembered, so that every instance's relay
 *                     (and Kafka redeliveries) map it to the same log entry instead of adding it again; longer than
 *                     {@code retention} and than any lag one instance may have behind another
 * @param assigneeTtl  how long the per-tenant conversation → assigned agent hash lives after its last change
 * @param replayPage   entries read per {@code XRANGE} while replaying or catching up
 * @param keyPrefix    prefix of the Redis keys ({@code <prefix>:{tenant}:events|assignees|seen:<id>})
 * @param fanoutLanes  threads that hand events to the clients whose connection's event loop is not known (a client
 *                     on a Netty connection gets them on its event loop), each serving a share of them in order;
 *                     0: one per core
 */
@Validated
@ConfigurationProperties("conversa.notification.stream")
public record StreamProperties(
        @DefaultValue("15s") Duration heartbeat,
        @DefaultValue("256") @Min(1) int clientBuffer,
        @DefaultValue("10000") @Min(1) int maxLength,
        @DefaultValue("1h") Duration retention,
        @DefaultValue("3h") Duration dedupeTtl,
        @DefaultValue("7d") Duration assigneeTtl,
        @DefaultValue("500") @Min(1) int replayPage,
        @DefaultValue("conversa:sse") @NotBlank String keyPrefix,
        @DefaultValue("0") @Min(0) int fanoutLanes) {

    /** The settings used when only the two live-delivery ones matter (unit tests). */
    public static StreamProperties of(Duration heartbeat, int clientBuffer) {
        return of(heartbeat, clientBuffer, 0);
    }

    /** The same with {@code fanoutLanes} lanes. */
    public static StreamProperties of(Duration heartbeat, int clientBuffer, int fanoutLanes) {
        return new StreamProperties(heartbeat, clientBuffer, 10_000, Duration.ofHours(1), Duration.ofHours(3),
                Duration.ofDays(7), 500, "conversa:sse", fanoutLanes);
    }
}
