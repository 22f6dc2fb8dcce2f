package dev.conversa.message.conversations;

import java.util.ArrayList;
import java.util.List;

import dev.conversa.security.ConversaPrincipal;
import dev.conversa.security.Role;

/**
 * Which conversations of the caller's tenant the caller may see, as a SQL condition on a conversations alias:
 * admins, supervisors and services see all of them; an agent those assigned to them; a bot those the bot answers
 * ({@code bot_enabled}). A caller with several roles sees the union. Everything else is "not found", never
 * "forbidden". The condition binds {@code :viewerId} when it needs it.
 */
public final class Visibility {

    /** The bind name of the caller's user id in {@link #condition}. */
    public static final String VIEWER = "viewerId";

    private Visibility() {
    }

    /** A SQL boolean expression over {@code alias}'s columns (no tenant condition: add it yourself). */
    public static String condition(ConversaPrincipal caller, String alias) {
        if (caller.seesWholeTenant()) {
            return "TRUE";
        }
        List<String> parts = new ArrayList<>();
        if (caller.has(Role.AGENT)) {
            parts.add(alias + ".assigned_agent_id = :" + VIEWER);
        }
        if (caller.has(Role.BOT)) {
            parts.add(alias + ".bot_enabled");
        }
        return parts.isEmpty() ? "FALSE" : "(" + String.join(" OR ", parts) + ")";
    }

    /** Whether {@link #condition} names {@link #VIEWER}. */
    public static boolean needsViewer(ConversaPrincipal caller) {
        return !caller.seesWholeTenant() && caller.has(Role.AGENT);
    }
}
