package dev.conversa.notification.alerts;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import dev.conversa.events.EventTypes;

/**
 * What an alert e-mail is about, with the CloudEvents type that raises it (null: raised inside this service, or no
 * event exists yet). Recipients choose kinds by their wire value ({@code session-banned} …).
 *
 * <p>"Conversation waiting too long" has no event yet (distribution-service only logs it): when one exists, put its
 * type in {@link #CONVERSATION_WAITING}'s constructor, and add its topic to the {@code raiseAlerts-in-0} binding if
 * it travels on another topic. Nothing else changes: {@link AlertMessages} renders any payload field.
 */
public enum AlertKind {
    SESSION_LOGGED_OUT("session-logged-out", EventTypes.SESSION_LOGGED_OUT,
            "Sesión de WhatsApp desconectada", "WhatsApp session logged out"),
    SESSION_BANNED("session-banned", EventTypes.SESSION_BANNED,
            "Número de WhatsApp bloqueado", "WhatsApp number banned"),
    SESSION_FAILED("session-failed", EventTypes.SESSION_FAILED,
            "Sesión de WhatsApp con error", "WhatsApp session failed"),
    CAMPAIGN_FINISHED("campaign-finished", EventTypes.CAMPAIGN_FINISHED,
            "Campaña finalizada", "Campaign finished"),
    CONVERSATION_WAITING("conversation-waiting", null,
            "Conversación esperando demasiado", "Conversation waiting too long"),
    WEBHOOK_DISABLED("webhook-disabled", null,
            "Webhook desactivado", "Webhook disabled");

    private static final Map<String, AlertKind> BY_EVENT_TYPE = Arrays.stream(values())
            .filter(kind -> kind.eventType != null)
            .collect(Collectors.toUnmodifiableMap(kind -> kind.eventType, Function.identity()));

    private final String value;
    private final @Nullable String eventType;
    private final String subjectEs;
    private final String subjectEn;

    AlertKind(String value, @Nullable String eventType, String subjectEs, String subjectEn) {
        this.value = value;
        this.eventType = eventType;
        this.subjectEs = subjectEs;
        this.subjectEn = subjectEn;
    }

    /** The wire value, e.g. {@code session-banned}. */
    public String value() {
        return value;
    }

    String subjectEs() {
        return subjectEs;
    }

    String subjectEn() {
        return subjectEn;
    }

    /** The kind an event type raises, if any. */
    static Optional<AlertKind> forEventType(String type) {
        return Optional.ofNullable(BY_EVENT_TYPE.get(type));
    }

    static Optional<AlertKind> fromValue(String value) {
        String wanted = value.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(kind -> kind.value.equals(wanted)).findFirst();
    }
}
