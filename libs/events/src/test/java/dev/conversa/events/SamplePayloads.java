package dev.conversa.events;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.conversa.events.campaign.CampaignProgress;
import dev.conversa.events.campaign.CampaignStatus;
import dev.conversa.events.contact.ContactImportProgress;
import dev.conversa.events.contact.ContactImportStatus;
import dev.conversa.events.command.MediaRef;
import dev.conversa.events.command.PairingCodeRequested;
import dev.conversa.events.command.ReadRequested;
import dev.conversa.events.command.SendMessageRequested;
import dev.conversa.events.command.SendPriority;
import dev.conversa.events.command.SessionCommand;
import dev.conversa.events.command.TemplateRef;
import dev.conversa.events.conversation.ConversationAssignment;
import dev.conversa.events.conversation.ConversationChanged;
import dev.conversa.events.conversation.ConversationStatus;
import dev.conversa.events.conversation.MessageDirection;
import dev.conversa.events.conversation.MessageStored;
import dev.conversa.events.message.ButtonReply;
import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.events.message.Location;
import dev.conversa.events.message.MediaAttachment;
import dev.conversa.events.message.MessageReceived;
import dev.conversa.events.message.MessageStatusChanged;
import dev.conversa.events.message.MessageType;
import dev.conversa.events.message.Reaction;
import dev.conversa.events.session.SessionHealth;
import dev.conversa.events.session.SessionPairingCode;
import dev.conversa.events.session.SessionQrUpdated;
import dev.conversa.events.session.SessionStateChanged;
import dev.conversa.events.session.SessionStatus;
import dev.conversa.events.session.SessionTransport;

/**
 * Realistic payloads of every event type, as their producers would build them: the fixtures of the contract tests.
 * A type of {@link EventCatalog} without samples here fails {@code EventContractTest}, so a new event cannot land
 * without one. Where it is cheap, a type has a variant with every optional field filled and one with none.
 */
public final class SamplePayloads {

    public static final String TENANT = "acme-mx";
    public static final UUID SESSION_ID = UUID.fromString("0193a5f2-7c1e-7d3a-9b2e-4f6a8c0d1e2f");
    public static final UUID CONVERSATION_ID = UUID.fromString("0193a5f3-0a11-7b44-8c55-1d2e3f405162");
    public static final UUID CAMPAIGN_ID = UUID.fromString("0193a5f4-1b22-7c55-9d66-2e3f40516273");
    public static final UUID IMPORT_ID = UUID.fromString("0193a5f4-2c33-7d66-8e77-3f4051627384");
    public static final UUID MESSAGE_ID = UUID.fromString("0193a5f5-2c33-7d66-ae77-3f4051627384");
    public static final UUID MEDIA_ID = UUID.fromString("0193a5f6-3d44-7e77-bf88-405162738495");
    public static final String SESSION_PHONE = "+5215512345678";
    public static final String CONTACT_PHONE = "+5215587654321";
    public static final String WA_MESSAGE_ID = "wamid.HBgNNTIxNTU4NzY1NDMyMRUCABIYFjNFQjBDMEI4NkE5RjI1QTM0NjA1MDQA";
    public static final String AGENT_ID = "f3b1c2d4-agent-maria";
    public static final Instant NOW = Instant.parse("2026-11-23T14:05:30.123456Z");

    private SamplePayloads() {
    }

    /** The samples of {@code type}; empty for a type this class does not know yet. */
    public static List<Object> of(String type) {
        return switch (type) {
            case EventTypes.MESSAGE_SEND_REQUESTED -> List.of(sendText(), sendDocument(), sendTemplate());
            case EventTypes.SESSION_LOGOUT_REQUESTED, EventTypes.SESSION_RESTART_REQUESTED ->
                    List.of(new SessionCommand(TENANT, SESSION_ID, "user:" + AGENT_ID, NOW));
            case EventTypes.SESSION_PAIRING_CODE_REQUESTED ->
                    List.of(new PairingCodeRequested(TENANT, SESSION_ID, SESSION_PHONE, "user:admin-juan", NOW));
            case EventTypes.MESSAGE_READ_REQUESTED -> List.of(readRequested(), new ReadRequested(TENANT, SESSION_ID,
                    CONTACT_PHONE, List.of(WA_MESSAGE_ID, "wamid.HBgNNTIxNTU4NzY1NDMyMRUCABEYEjQ1"), "user:" + AGENT_ID,
                    NOW));

            case EventTypes.SESSION_CREATED -> List.of(new SessionStateChanged(TENANT, SESSION_ID,
                    SessionStatus.PENDING, null, SessionTransport.LINKED, null, null, null, 0, NOW));
            case EventTypes.SESSION_QR_UPDATED -> List.of(new SessionQrUpdated(TENANT, SESSION_ID,
                    "2@Yb3kL9pQ0xW1v2c3d4e5f6g7h8,Ab12Cd34Ef56Gh78==,Zx9Yw8Vu7Ts6==", 2, NOW.plusSeconds(20)));
            case EventTypes.SESSION_PAIRING_CODE -> List.of(new SessionPairingCode(TENANT, SESSION_ID, SESSION_PHONE,
                    "K7PX-3M9Q", NOW.plus(Duration.ofMinutes(3))));
            case EventTypes.SESSION_CONNECTED -> List.of(new SessionStateChanged(TENANT, SESSION_ID,
                    SessionStatus.CONNECTED, SessionStatus.CONNECTING, SessionTransport.LINKED, SESSION_PHONE, null,
                    null, 0, NOW), new SessionStateChanged(TENANT, SESSION_ID, SessionStatus.CONNECTED,
                    SessionStatus.PENDING, SessionTransport.CLOUD_API, SESSION_PHONE, null, null, 0, NOW));
            case EventTypes.SESSION_DISCONNECTED -> List.of(new SessionStateChanged(TENANT, SESSION_ID,
                    SessionStatus.DISCONNECTED, SessionStatus.CONNECTED, SessionTransport.LINKED, SESSION_PHONE, 408,
                    "connection lost", 2, NOW));
            case EventTypes.SESSION_LOGGED_OUT -> List.of(new SessionStateChanged(TENANT, SESSION_ID,
                    SessionStatus.LOGGED_OUT, SessionStatus.CONNECTED, SessionTransport.LINKED, SESSION_PHONE, 401,
                    "logged out from the phone", 0, NOW));
            case EventTypes.SESSION_FAILED -> List.of(new SessionStateChanged(TENANT, SESSION_ID,
                    SessionStatus.BANNED, SessionStatus.CONNECTED, SessionTransport.LINKED, SESSION_PHONE, 403,
                    "number banned by WhatsApp", 0, NOW), new SessionStateChanged(TENANT, SESSION_ID,
                    SessionStatus.FAILED, SessionStatus.DISCONNECTED, SessionTransport.LINKED, null, 503,
                    "gave up after 10 reconnect attempts", 10, NOW));
            case EventTypes.SESSION_DELETED -> List.of(new SessionStateChanged(TENANT, SESSION_ID,
                    SessionStatus.INACTIVE, SessionStatus.LOGGED_OUT, SessionTransport.CLOUD_API, SESSION_PHONE,
                    null, "deleted by admin", 0, NOW));
            case EventTypes.SESSION_PENDING -> List.of(new SessionStateChanged(TENANT, SESSION_ID,
                    SessionStatus.PENDING, SessionStatus.QR_READY, SessionTransport.LINKED, null, 408,
                    "QR refs attempts ended", 0, NOW));
            case EventTypes.SESSION_QR_READY -> List.of(new SessionStateChanged(TENANT, SESSION_ID,
                    SessionStatus.QR_READY, SessionStatus.CONNECTING, SessionTransport.LINKED, null, null, null, 0,
                    NOW));
            case EventTypes.SESSION_CONNECTING -> List.of(new SessionStateChanged(TENANT, SESSION_ID,
                    SessionStatus.CONNECTING, SessionStatus.PENDING, SessionTransport.CLOUD_API, null, null, null, 0,
                    NOW), new SessionStateChanged(TENANT, SESSION_ID, SessionStatus.CONNECTING,
                    SessionStatus.DISCONNECTED, SessionTransport.LINKED, SESSION_PHONE, 408, "connection lost", 3,
                    NOW));
            case EventTypes.SESSION_BANNED -> List.of(new SessionStateChanged(TENANT, SESSION_ID,
                    SessionStatus.BANNED, SessionStatus.CONNECTED, SessionTransport.LINKED, SESSION_PHONE, 403,
                    "number banned by WhatsApp", 0, NOW));
            case EventTypes.SESSION_INACTIVE -> List.of(new SessionStateChanged(TENANT, SESSION_ID,
                    SessionStatus.INACTIVE, SessionStatus.DISCONNECTED, SessionTransport.LINKED, SESSION_PHONE, null,
                    "no activity for 30 days", 4, NOW));
            case EventTypes.SESSION_HEALTH -> List.of(
                    new SessionHealth(TENANT, SESSION_ID, SessionStatus.CONNECTED, true, 84L, NOW),
                    new SessionHealth(TENANT, SESSION_ID, SessionStatus.DISCONNECTED, false, null, NOW));

            case EventTypes.MESSAGE_RECEIVED -> List.of(receivedText(), receivedImage(), receivedUnavailableAudio(),
                    receivedLocation(), receivedSticker(), receivedReaction(), receivedButtonReply());

            case EventTypes.MESSAGE_ACCEPTED -> List.of(status(DeliveryStatus.ACCEPTED), new MessageStatusChanged(
                    TENANT, SESSION_ID, null, WA_MESSAGE_ID, null, null, CONTACT_PHONE, DeliveryStatus.ACCEPTED, null,
                    null, null, NOW));
            case EventTypes.MESSAGE_SENT -> List.of(status(DeliveryStatus.SENT));
            case EventTypes.MESSAGE_DELIVERED -> List.of(status(DeliveryStatus.DELIVERED));
            case EventTypes.MESSAGE_READ -> List.of(status(DeliveryStatus.READ));
            case EventTypes.MESSAGE_FAILED -> List.of(new MessageStatusChanged(TENANT, SESSION_ID, MESSAGE_ID, null,
                    "campaign:" + CAMPAIGN_ID + ":recipient:42", "campaign:" + CAMPAIGN_ID, CONTACT_PHONE,
                    DeliveryStatus.FAILED, 131026, "Message undeliverable", false, NOW));

            case EventTypes.CONVERSATION_OPENED -> List.of(new ConversationChanged(TENANT, CONVERSATION_ID,
                    SESSION_ID, CONTACT_PHONE, null, ConversationStatus.OPEN, null, true, 1, NOW, "Hola, quiero info",
                    1L, NOW));
            case EventTypes.CONVERSATION_UPDATED -> List.of(new ConversationChanged(TENANT, CONVERSATION_ID,
                    SESSION_ID, CONTACT_PHONE, "Ana López", ConversationStatus.PENDING, AGENT_ID, false, 3, NOW,
                    "¿Cuál es el precio?", 7L, NOW));
            case EventTypes.CONVERSATION_CLOSED -> List.of(new ConversationChanged(TENANT, CONVERSATION_ID,
                    SESSION_ID, CONTACT_PHONE, "Ana López", ConversationStatus.CLOSED, AGENT_ID, false, 0, NOW,
                    "Gracias", 12L, NOW), new ConversationChanged(TENANT, CONVERSATION_ID, SESSION_ID, CONTACT_PHONE,
                    null, ConversationStatus.CLOSED, null, true, 0, null, null, 2L, NOW));
            case EventTypes.CONVERSATION_ASSIGNED -> List.of(new ConversationAssignment(TENANT, CONVERSATION_ID,
                    SESSION_ID, AGENT_ID, null, "round-robin", false, NOW));
            case EventTypes.CONVERSATION_UNASSIGNED -> List.of(new ConversationAssignment(TENANT, CONVERSATION_ID,
                    SESSION_ID, null, AGENT_ID, "agent-offline", false, NOW));
            case EventTypes.CONVERSATION_ESCALATED -> List.of(new ConversationAssignment(TENANT, CONVERSATION_ID,
                    SESSION_ID, null, null, "customer-asked-for-human", false, NOW));
            case EventTypes.CONVERSATION_RETURNED_TO_BOT -> List.of(new ConversationAssignment(TENANT,
                    CONVERSATION_ID, SESSION_ID, null, AGENT_ID, null, true, NOW));
            case EventTypes.MESSAGE_STORED -> List.of(storedInbound(), storedOutbound());

            case EventTypes.CAMPAIGN_STARTED -> List.of(campaign(CampaignStatus.RUNNING, 0, 0, 0, 0, 0));
            case EventTypes.CAMPAIGN_PROGRESS -> List.of(campaign(CampaignStatus.RUNNING, 620, 540, 310, 12, 8));
            case EventTypes.CAMPAIGN_PAUSED -> List.of(campaign(CampaignStatus.PAUSED, 700, 610, 350, 14, 8));
            case EventTypes.CAMPAIGN_RESUMED -> List.of(campaign(CampaignStatus.RUNNING, 700, 650, 380, 14, 8));
            case EventTypes.CAMPAIGN_FINISHED -> List.of(campaign(CampaignStatus.FINISHED, 1960, 1800, 1100, 32, 8));
            case EventTypes.CAMPAIGN_CANCELLED -> List.of(campaign(CampaignStatus.CANCELLED, 900, 820, 400, 20, 8));
            case EventTypes.CONTACT_IMPORT_PROGRESS -> List.of(new ContactImportProgress(TENANT, IMPORT_ID,
                    ContactImportStatus.PROCESSING, 20000, 19850, 120, 30, null, NOW));
            case EventTypes.CONTACT_IMPORT_FINISHED -> List.of(
                    new ContactImportProgress(TENANT, IMPORT_ID, ContactImportStatus.COMPLETED, 100000, 99500, 400,
                            100, null, NOW),
                    new ContactImportProgress(TENANT, IMPORT_ID, ContactImportStatus.FAILED, 5000, 4000, 12, 3,
                            "line 5003: a quoted field is not closed before the end of the file", NOW));
            default -> List.of();
        };
    }

    public static SendMessageRequested sendText() {
        return new SendMessageRequested(TENANT, SESSION_ID, MESSAGE_ID, "conv:" + CONVERSATION_ID + ":msg:17",
                "conversation:" + CONVERSATION_ID, CONTACT_PHONE, MessageType.TEXT, "Hola Ana, te comparto la info",
                null, null, null, null, SendPriority.CONVERSATIONAL, "user:" + AGENT_ID, NOW);
    }

    static SendMessageRequested sendDocument() {
        return new SendMessageRequested(TENANT, SESSION_ID, MESSAGE_ID, "conv:" + CONVERSATION_ID + ":msg:18",
                "conversation:" + CONVERSATION_ID, CONTACT_PHONE, MessageType.DOCUMENT, null,
                new MediaRef(MEDIA_ID, "application/pdf", "catalogo-2026.pdf", "Nuestro catálogo",
                        "https://files.example.com/media/catalogo-2026.pdf"),
                null, null, WA_MESSAGE_ID, null, "user:" + AGENT_ID, NOW);
    }

    static SendMessageRequested sendTemplate() {
        return new SendMessageRequested(TENANT, SESSION_ID, MESSAGE_ID, "campaign:" + CAMPAIGN_ID + ":recipient:42",
                "campaign:" + CAMPAIGN_ID, CONTACT_PHONE, MessageType.TEMPLATE, null, null,
                new TemplateRef("promo_noviembre", "es_MX", List.of("Ana", "20%")), null, null, SendPriority.BULK,
                "campaign-service", NOW);
    }

    public static ReadRequested readRequested() {
        return new ReadRequested(TENANT, SESSION_ID, CONTACT_PHONE, List.of(WA_MESSAGE_ID), "user:" + AGENT_ID, NOW);
    }

    public static MessageReceived receivedText() {
        return new MessageReceived(TENANT, SESSION_ID, WA_MESSAGE_ID, CONTACT_PHONE, "Ana López", MessageType.TEXT,
                "Hola, quiero información del plan", null, null, null, null, null, NOW.minusSeconds(2), NOW);
    }

    static MessageReceived receivedImage() {
        return new MessageReceived(TENANT, SESSION_ID, WA_MESSAGE_ID, CONTACT_PHONE, null, MessageType.IMAGE, null,
                new MediaAttachment("1093847561029384", "image/jpeg",
                        "9f2c6a8d0b1e4f3a5c7d9e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d", 184_322L, null,
                        "mi comprobante", MEDIA_ID, true),
                null, null, null, "wamid.HBgNNTIxNTU4NzY1NDMyMRUCABEYEjQ1", NOW.minusSeconds(2), NOW);
    }

    /** A voice note whose file session-service could not download: delivered without it. */
    static MessageReceived receivedUnavailableAudio() {
        return new MessageReceived(TENANT, SESSION_ID, WA_MESSAGE_ID, CONTACT_PHONE, null, MessageType.AUDIO, null,
                new MediaAttachment("1093847561029385", "audio/ogg", "q2Zl1n7mB0p1lq9c8yS6Ew+0V7jv3bE9k4vYl1o=",
                        9_211L, null, null, null, false),
                null, null, null, null, NOW.minusSeconds(2), NOW);
    }

    static MessageReceived receivedLocation() {
        return new MessageReceived(TENANT, SESSION_ID, WA_MESSAGE_ID, CONTACT_PHONE, null, MessageType.LOCATION, null,
                null, new Location(19.432608, -99.133209, "Zócalo", "Plaza de la Constitución, CDMX"), null, null,
                null, NOW.minusSeconds(2), NOW);
    }

    static MessageReceived receivedSticker() {
        return new MessageReceived(TENANT, SESSION_ID, WA_MESSAGE_ID, CONTACT_PHONE, null, MessageType.STICKER, null,
                new MediaAttachment(null, "image/webp", null, null, null, null, null), null, null, null, null,
                NOW.minusSeconds(2), NOW);
    }

    static MessageReceived receivedReaction() {
        return new MessageReceived(TENANT, SESSION_ID, WA_MESSAGE_ID, CONTACT_PHONE, null, MessageType.REACTION, null,
                null, null, new Reaction("wamid.HBgNNTIxNTU4NzY1NDMyMRUCABEYEjQ1", "👍"), null, null,
                NOW.minusSeconds(2), NOW);
    }

    static MessageReceived receivedButtonReply() {
        return new MessageReceived(TENANT, SESSION_ID, WA_MESSAGE_ID, CONTACT_PHONE, null, MessageType.BUTTON, null,
                null, null, null, new ButtonReply("talk-to-agent", "Hablar con un asesor"), null, NOW.minusSeconds(2), NOW);
    }

    public static MessageStatusChanged status(DeliveryStatus status) {
        return new MessageStatusChanged(TENANT, SESSION_ID, MESSAGE_ID, WA_MESSAGE_ID,
                "conv:" + CONVERSATION_ID + ":msg:17", "conversation:" + CONVERSATION_ID, CONTACT_PHONE, status,
                null, null, null, NOW);
    }

    static MessageStored storedInbound() {
        return new MessageStored(TENANT, CONVERSATION_ID, MESSAGE_ID, SESSION_ID, WA_MESSAGE_ID,
                MessageDirection.INBOUND, MessageType.IMAGE, DeliveryStatus.DELIVERED, CONTACT_PHONE, null,
                new MediaAttachment("1093847561029384", "image/jpeg", null, 184_322L, null, "mi comprobante",
                        MEDIA_ID),
                null, NOW.minusSeconds(2), NOW);
    }

    static MessageStored storedOutbound() {
        return new MessageStored(TENANT, CONVERSATION_ID, MESSAGE_ID, SESSION_ID, null, MessageDirection.OUTBOUND,
                MessageType.TEXT, DeliveryStatus.PENDING, CONTACT_PHONE, "Hola Ana, te comparto la info", null,
                "conversation:" + CONVERSATION_ID, NOW, NOW);
    }

    static CampaignProgress campaign(CampaignStatus status, long sent, long delivered, long read, long failed,
            long skipped) {
        long total = 2000;
        return new CampaignProgress(TENANT, CAMPAIGN_ID, "Promo noviembre", status, total,
                total - sent - failed - skipped, sent, delivered, read, failed, skipped, NOW);
    }
}
