package dev.conversa.session.sessions;

import static dev.conversa.events.session.SessionStatus.BANNED;
import static dev.conversa.events.session.SessionStatus.CONNECTED;
import static dev.conversa.events.session.SessionStatus.CONNECTING;
import static dev.conversa.events.session.SessionStatus.DISCONNECTED;
import static dev.conversa.events.session.SessionStatus.FAILED;
import static dev.conversa.events.session.SessionStatus.INACTIVE;
import static dev.conversa.events.session.SessionStatus.LOGGED_OUT;
import static dev.conversa.events.session.SessionStatus.PENDING;
import static dev.conversa.events.session.SessionStatus.QR_READY;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import dev.conversa.events.EventTypes;
import dev.conversa.events.session.SessionStatus;

/**
 * The one table of allowed status moves of a session, and the {@code wa.session.events} type each arrival emits.
 * Pure data: {@link SessionLifecycle} consults it before every write.
 *
 * <table>
 * <caption>from → allowed targets</caption>
 * <tr><th>from</th><th>to</th></tr>
 * <tr><td>pending</td><td>qr_ready, connecting</td></tr>
 * <tr><td>qr_ready</td><td>connecting (scanned), pending (QR expired unscanned), disconnected, failed</td></tr>
 * <tr><td>connecting</td><td>connected, qr_ready (a linked device without credentials shows a QR), disconnected,
 * logged_out, banned, failed</td></tr>
 * <tr><td>connected</td><td>disconnected, logged_out, banned, failed, connecting (restart)</td></tr>
 * <tr><td>disconnected</td><td>connecting (reconnect: attempts + 1), qr_ready, pending, logged_out, banned,
 * failed</td></tr>
 * <tr><td>logged_out</td><td>connecting, qr_ready, pending</td></tr>
 * <tr><td>banned</td><td>connecting (an operator restarts it after an appeal)</td></tr>
 * <tr><td>failed</td><td>connecting, qr_ready, pending</td></tr>
 * <tr><td>inactive</td><td>connecting, pending</td></tr>
 * <tr><td>every status but connected and inactive</td><td>inactive</td></tr>
 * </table>
 *
 * A status never moves to itself: a transport that reports what is already stored gets a refusal, not a second
 * event. Deleting a session is not a transition (the row goes, {@code conversa.session.deleted.v1} is emitted).
 */
public final class SessionTransitions {

    private static final Map<SessionStatus, Set<SessionStatus>> ALLOWED = table();

    private SessionTransitions() {
    }

    /** Whether a session in {@code from} may move to {@code to}. */
    public static boolean allowed(SessionStatus from, SessionStatus to) {
        return ALLOWED.get(from).contains(to);
    }

    /** Every status {@code from} may move to. */
    public static Set<SessionStatus> targets(SessionStatus from) {
        return ALLOWED.get(from);
    }

    /** The CloudEvents type announcing that a session arrived in {@code status}. */
    public static String eventType(SessionStatus status) {
        return switch (status) {
            case PENDING -> EventTypes.SESSION_PENDING;
            case QR_READY -> EventTypes.SESSION_QR_READY;
            case CONNECTING -> EventTypes.SESSION_CONNECTING;
            case CONNECTED -> EventTypes.SESSION_CONNECTED;
            case DISCONNECTED -> EventTypes.SESSION_DISCONNECTED;
            case LOGGED_OUT -> EventTypes.SESSION_LOGGED_OUT;
            case BANNED -> EventTypes.SESSION_BANNED;
            case FAILED -> EventTypes.SESSION_FAILED;
            case INACTIVE -> EventTypes.SESSION_INACTIVE;
        };
    }

    /** Whether arriving in {@code status} ends a connection: the last disconnect reason, code and time are recorded. */
    static boolean endsConnection(SessionStatus status) {
        return status == DISCONNECTED || status == LOGGED_OUT || status == BANNED || status == FAILED;
    }

    private static Map<SessionStatus, Set<SessionStatus>> table() {
        Map<SessionStatus, Set<SessionStatus>> table = new EnumMap<>(SessionStatus.class);
        table.put(PENDING, EnumSet.of(QR_READY, CONNECTING));
        table.put(QR_READY, EnumSet.of(CONNECTING, PENDING, DISCONNECTED, FAILED));
        table.put(CONNECTING, EnumSet.of(CONNECTED, QR_READY, DISCONNECTED, LOGGED_OUT, BANNED, FAILED));
        table.put(CONNECTED, EnumSet.of(DISCONNECTED, LOGGED_OUT, BANNED, FAILED, CONNECTING));
        table.put(DISCONNECTED, EnumSet.of(CONNECTING, QR_READY, PENDING, LOGGED_OUT, BANNED, FAILED));
        table.put(LOGGED_OUT, EnumSet.of(CONNECTING, QR_READY, PENDING));
        table.put(BANNED, EnumSet.of(CONNECTING));
        table.put(FAILED, EnumSet.of(CONNECTING, QR_READY, PENDING));
        table.put(INACTIVE, EnumSet.of(CONNECTING, PENDING));
        for (SessionStatus from : SessionStatus.values()) {
            if (from != CONNECTED && from != INACTIVE) {
                table.get(from).add(INACTIVE);
            }
        }
        table.replaceAll((from, targets) -> Collections.unmodifiableSet(targets));
        return Collections.unmodifiableMap(table);
    }
}
