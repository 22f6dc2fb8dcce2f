package dev.conversa.notification.webhooks;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which events a subscription wants: each entry is a CloudEvents type ({@code conversa.message.stored.v1}) or a
 * prefix ending in {@code *} ({@code conversa.session.*}; {@code *} alone is every event).
 */
final class EventFilter {

    /** An entry as accepted by the API. */
    static final String ENTRY_PATTERN = "^\\*$|^[a-z0-9][a-z0-9.\\-]{0,199}\\*?$";
    private static final Pattern ENTRY = Pattern.compile(ENTRY_PATTERN);

    private EventFilter() {
    }

    static boolean matches(List<String> entries, String type) {
        for (String entry : entries) {
            if (entry.endsWith("*") ? type.startsWith(entry.substring(0, entry.length() - 1)) : type.equals(entry)) {
                return true;
            }
        }
        return false;
    }

    static boolean isValid(String entry) {
        return entry != null && ENTRY.matcher(entry).matches();
    }
}
