package dev.conversa.web.logging;

import org.jspecify.annotations.Nullable;

/**
 * Masks personal data before it reaches a log line: phone numbers keep their country prefix and last two digits,
 * message text keeps only its length. Use in every log statement that mentions a contact or a message.
 */
public final class Pii {

    private static final int VISIBLE_PREFIX = 3;
    private static final int VISIBLE_SUFFIX = 2;

    private Pii() {
    }

    /** {@code +5491155551234} → {@code +54*********34}. */
    public static String phone(@Nullable String phone) {
        if (phone == null || phone.isBlank()) {
            return "<none>";
        }
        String trimmed = phone.strip();
        if (trimmed.length() <= VISIBLE_PREFIX + VISIBLE_SUFFIX) {
            return "*".repeat(trimmed.length());
        }
        int hidden = trimmed.length() - VISIBLE_PREFIX - VISIBLE_SUFFIX;
        return trimmed.substring(0, VISIBLE_PREFIX) + "*".repeat(hidden)
                + trimmed.substring(trimmed.length() - VISIBLE_SUFFIX);
    }

    /** Message text is never logged: only its length. */
    public static String text(@Nullable String text) {
        return text == null ? "<none>" : "<" + text.length() + " chars>";
    }
}
