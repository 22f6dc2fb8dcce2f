package dev.conversa.campaign.dispatch;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import dev.conversa.campaign.template.CampaignMessage;
import dev.conversa.campaign.template.MessageTemplate;
import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.events.command.MediaRef;
import dev.conversa.events.command.SendMessageRequested;
import dev.conversa.events.command.SendPriority;
import dev.conversa.events.message.MessageType;
import dev.conversa.messaging.EventPublisher;
import dev.conversa.messaging.OutgoingEvent;
import dev.conversa.web.id.Uuids;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes the {@code conversa.message.send-requested.v1} commands of queued recipients on {@code wa.commands}
 * (keyed by session, priority bulk, correlation id = campaign id), the campaign's message rendered for each
 * recipient. Everything in a command comes from the recipient's row (idempotency key, message id, queued time), and
 * its event id derives from the message id, so publishing it again after a crash is byte-for-byte the same command.
 */
@Component
public class SendCommands {

    static final String SOURCE = "/campaign-service";
    private static final TypeReference<Map<String, Object>> ATTRIBUTES = new TypeReference<>() {
    };

    private final EventPublisher publisher;
    private final JsonMapper json;
    private final Counter published;

    public SendCommands(EventPublisher publisher, JsonMapper json, MeterRegistry meters) {
        this.publisher = publisher;
        this.json = json;
        this.published = Counter.builder("conversa.campaign.commands")
                .description("Campaign send commands published to session-service (re-publications included)")
                .register(meters);
    }

    /** A queued recipient attempt, as stored. */
    public record Queued(UUID recipientId, UUID campaignId, String tenantId, UUID sessionId, String phone,
            @Nullable String name, String attributesJson, String messageJson, String idempotencyKey, UUID messageId,
            Instant queuedAt) {
    }

    public Mono<Void> publish(List<Queued> queued) {
        if (queued.isEmpty()) {
            return Mono.empty();
        }
        return Mono.fromCallable(() -> events(queued)).flatMap(events -> publisher.publishAll(Topics.WA_COMMANDS,
                events)).doOnSuccess(done -> published.increment(queued.size()));
    }

    List<OutgoingEvent> events(List<Queued> queued) {
        Map<String, CampaignMessage> messages = new HashMap<>();
        return queued.stream().map(one -> {
            CampaignMessage message = messages.computeIfAbsent(one.messageJson(),
                    text -> json.readValue(text, CampaignMessage.class));
            return event(one, message);
        }).toList();
    }

    OutgoingEvent event(Queued queued, CampaignMessage campaignMessage) {
        Map<String, Object> attributes = json.readValue(queued.attributesJson(), ATTRIBUTES);
        CampaignMessage rendered = campaignMessage.renderFor(MessageTemplate.values(queued.name(), attributes));
        String campaignId = queued.campaignId().toString();
        String sessionId = queued.sessionId().toString();
        SendMessageRequested command = new SendMessageRequested(queued.tenantId(), queued.sessionId(),
                queued.messageId(), queued.idempotencyKey(), campaignId, queued.phone(), type(rendered),
                rendered.media() == null ? rendered.text() : null, rendered.media(), rendered.template(), null, null,
                SendPriority.BULK, "campaign:" + campaignId, queued.queuedAt());
        EventMetadata metadata = new EventMetadata(
                Uuids.named("send-requested", queued.messageId().toString()).toString(),
                EventTypes.MESSAGE_SEND_REQUESTED, SOURCE, queued.queuedAt(), sessionId, queued.tenantId(),
                sessionId);
        return new OutgoingEvent(metadata, command, sessionId);
    }

    static MessageType type(CampaignMessage message) {
        if (message.template() != null) {
            return MessageType.TEMPLATE;
        }
        MediaRef media = message.media();
        if (media == null) {
            return MessageType.TEXT;
        }
        String mime = media.mimeType();
        if (mime.startsWith("image/")) {
            return MessageType.IMAGE;
        }
        if (mime.startsWith("video/")) {
            return MessageType.VIDEO;
        }
        if (mime.startsWith("audio/")) {
            return MessageType.AUDIO;
        }
        return MessageType.DOCUMENT;
    }
}
