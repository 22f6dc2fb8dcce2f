package dev.conversa.session.linked;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.conversa.web.logging.Pii;

/**
 * Phone numbers between Conversa (E.164 with {@code +}) and the linked-device protocol (WhatsApp's {@code wa_id}:
 * the same digits without {@code +}).
 */
final class WaNumbers {

    private static final Pattern E164 = Pattern.compile("\\+?[1-9][0-9]{6,14}");

    private WaNumbers() {
    }

    /** {@code +5491155551234} (or the bare digits) → {@code 5491155551234}. */
    static String toWire(String e164) {
        if (e164 == null || !E164.matcher(e164).matches()) {
            throw new IllegalArgumentException("Not an E.164 phone number: " + Pii.phone(e164));
        }
        return e164.startsWith("+") ? e164.substring(1) : e164;
    }

    /** {@code 5491155551234} → {@code +5491155551234}; {@code null} stays {@code null}. */
    static @Nullable String toE164(@Nullable String wire) {
        if (wire == null || wire.isEmpty()) {
            return null;
        }
        return wire.startsWith("+") ? wire : "+" + wire;
    }
}
