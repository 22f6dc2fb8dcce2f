package dev.conversa.message.inbox;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.conversa.events.cloudevents.CloudEventCodec;
import dev.conversa.events.command.SendMessageRequested;
import dev.conversa.events.message.MessageReceived;
import dev.conversa.events.message.MessageType;

/**
 * How the parts of a message that are not text go into its row: the file into {@code media} (jsonb, the event's
 * media record as is), location / reaction / button reply / template into {@code content} (jsonb, one property
 * named after the part: {@code {"location": {...}}}), and what it quotes or reacts to into
 * {@code reply_to_wa_message_id}. Also the preview inbox lists show.
 */
public final class MessageParts {

    private MessageParts() {
    }

    public static @Nullable String media(CloudEventCodec codec, MessageReceived message) {
        return message.media() == null ? null : codec.json().writeValueAsString(message.media());
    }

    public static @Nullable String media(CloudEventCodec codec, SendMessageRequested command) {
        return command.media() == null ? null : codec.json().writeValueAsString(command.media());
    }

    public static @Nullable String content(CloudEventCodec codec, MessageReceived message) {
        Map<String, Object> content = new LinkedHashMap<>();
        if (message.location() != null) {
            content.put("location", message.location());
        }
        if (message.reaction() != null) {
            content.put("reaction", message.reaction());
        }
        if (message.buttonReply() != null) {
            content.put("buttonReply", message.buttonReply());
        }
        return content.isEmpty() ? null : codec.json().writeValueAsString(content);
    }

    public static @Nullable String content(CloudEventCodec codec, SendMessageRequested command) {
        Map<String, Object> content = new LinkedHashMap<>();
        if (command.location() != null) {
            content.put("location", command.location());
        }
        if (command.template() != null) {
            content.put("template", command.template());
        }
        return content.isEmpty() ? null : codec.json().writeValueAsString(content);
    }

    /** The quoted message, or the one a reaction applies to. */
    public static @Nullable String replyTo(MessageReceived message) {
        if (message.contextWaMessageId() != null) {
            return message.contextWaMessageId();
        }
        return message.reaction() == null ? null : message.reaction().waMessageId();
    }

    public static String preview(MessageReceived message) {
        String text = firstText(message.text(),
                message.media() == null ? null : message.media().caption(),
                message.location() == null ? null : firstText(message.location().name(),
                        message.location().address()),
                message.reaction() == null ? null : message.reaction().emoji(),
                message.buttonReply() == null ? null : message.buttonReply().title());
        return ConversationStore.preview(text != null ? text : placeholder(message.type()));
    }

    public static String preview(SendMessageRequested command) {
        String text = firstText(command.text(),
                command.media() == null ? null : command.media().caption(),
                command.location() == null ? null : firstText(command.location().name(),
                        command.location().address()),
                command.template() == null ? null : command.template().name());
        return ConversationStore.preview(text != null ? text : placeholder(command.type()));
    }

    private static String placeholder(MessageType type) {
        return "[" + type.value() + "]";
    }

    private static @Nullable String firstText(@Nullable String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate;
            }
        }
        return null;
    }
}
