package dev.conversa.events;

/**
 * The CloudEvents {@code type} ({@code ce_type}) of every Conversa event, exactly as in DESIGN.md.
 *
 * <p>A type names one occurrence and its version ({@code .v1}); a breaking change to a payload gets a new type
 * ({@code .v2}) published next to the old one until every consumer has moved. Which topic each type travels on and
 * which payload record it carries is in {@link EventCatalog}.
 */
public final class EventTypes {

    // wa.commands (key: sessionId)

    /** Send one WhatsApp message from a session; carries {@code idempotencyKey} and {@code correlationId}. */
    public static final String MESSAGE_SEND_REQUESTED = "conversa.message.send-requested.v1";
    /** Log the session's linked device out of WhatsApp. */
    public static final String SESSION_LOGOUT_REQUESTED = "conversa.session.logout-requested.v1";
    /** Close and reopen the session's connection. */
    public static final String SESSION_RESTART_REQUESTED = "conversa.session.restart-requested.v1";
    /** Link the session by phone number and pairing code instead of a QR code. */
    public static final String SESSION_PAIRING_CODE_REQUESTED = "conversa.session.pairing-code-requested.v1";
    /** Mark messages a contact sent to the session as read on WhatsApp; best effort, nothing is reported back. */
    public static final String MESSAGE_READ_REQUESTED = "conversa.message.read-requested.v1";

    // wa.session.events (key: sessionId)

    public static final String SESSION_CREATED = "conversa.session.created.v1";
    public static final String SESSION_QR_UPDATED = "conversa.session.qr-updated.v1";
    public static final String SESSION_PAIRING_CODE = "conversa.session.pairing-code.v1";
    public static final String SESSION_CONNECTED = "conversa.session.connected.v1";
    public static final String SESSION_DISCONNECTED = "conversa.session.disconnected.v1";
    public static final String SESSION_LOGGED_OUT = "conversa.session.logged-out.v1";
    public static final String SESSION_FAILED = "conversa.session.failed.v1";
    public static final String SESSION_DELETED = "conversa.session.deleted.v1";
    public static final String SESSION_HEALTH = "conversa.session.health.v1";
    /** Back to {@code pending}: waiting to be linked again, e.g. its QR codes expired unscanned. */
    public static final String SESSION_PENDING = "conversa.session.pending.v1";
    /** Now {@code qr_ready}: a QR code waits to be scanned; the code itself travels on {@link #SESSION_QR_UPDATED}. */
    public static final String SESSION_QR_READY = "conversa.session.qr-ready.v1";
    /** Now {@code connecting}: opening (or re-opening, after a disconnect) the connection to WhatsApp. */
    public static final String SESSION_CONNECTING = "conversa.session.connecting.v1";
    /** Now {@code banned}: WhatsApp banned or locked the number (reason code 403). */
    public static final String SESSION_BANNED = "conversa.session.banned.v1";
    /** Now {@code inactive}: cleaned up after a long time without use; the owner stops reconnecting it. */
    public static final String SESSION_INACTIVE = "conversa.session.inactive.v1";

    // wa.message.inbound (key: sessionId)

    /** A message a contact sent to one of our sessions: text, media, location, reaction, button reply … */
    public static final String MESSAGE_RECEIVED = "conversa.message.received.v1";

    // wa.message.status (key: sessionId)

    public static final String MESSAGE_ACCEPTED = "conversa.message.accepted.v1";
    public static final String MESSAGE_SENT = "conversa.message.sent.v1";
    public static final String MESSAGE_DELIVERED = "conversa.message.delivered.v1";
    public static final String MESSAGE_READ = "conversa.message.read.v1";
    public static final String MESSAGE_FAILED = "conversa.message.failed.v1";

    // crm.conversation.events (key: conversationId)

    public static final String CONVERSATION_OPENED = "conversa.conversation.opened.v1";
    public static final String CONVERSATION_UPDATED = "conversa.conversation.updated.v1";
    public static final String CONVERSATION_ASSIGNED = "conversa.conversation.assigned.v1";
    public static final String CONVERSATION_UNASSIGNED = "conversa.conversation.unassigned.v1";
    public static final String CONVERSATION_ESCALATED = "conversa.conversation.escalated.v1";
    public static final String CONVERSATION_RETURNED_TO_BOT = "conversa.conversation.returned-to-bot.v1";
    public static final String CONVERSATION_CLOSED = "conversa.conversation.closed.v1";
    /** A message (inbound or outbound) was stored in a conversation of the inbox. */
    public static final String MESSAGE_STORED = "conversa.message.stored.v1";

    // crm.campaign.events (key: campaignId)

    public static final String CAMPAIGN_STARTED = "conversa.campaign.started.v1";
    public static final String CAMPAIGN_PROGRESS = "conversa.campaign.progress.v1";
    public static final String CAMPAIGN_PAUSED = "conversa.campaign.paused.v1";
    public static final String CAMPAIGN_RESUMED = "conversa.campaign.resumed.v1";
    public static final String CAMPAIGN_FINISHED = "conversa.campaign.finished.v1";
    public static final String CAMPAIGN_CANCELLED = "conversa.campaign.cancelled.v1";

    // crm.campaign.events, contact imports (key: importId)

    /** Counters of a running CSV contact import, every N rows. */
    public static final String CONTACT_IMPORT_PROGRESS = "conversa.contact.import-progress.v1";
    /** A CSV contact import completed or failed; its final counters. */
    public static final String CONTACT_IMPORT_FINISHED = "conversa.contact.import-finished.v1";

    private EventTypes() {
    }
}
