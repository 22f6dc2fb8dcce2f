package dev.conversa.session.sessions;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * E.164 at the entry point: removes the separators people type ({@code +52 1 55-1234 5678}, {@code (55)}), reads a
 * {@code 00} international prefix as {@code +}, and accepts only {@code +} followed by 7–15 digits, the first not 0.
 * Without a country code there is no way to know the country, so a number without one is refused, not guessed.
 */
public final class PhoneNumbers {

    private static final Pattern E164 = Pattern.compile("^\\+[1-9][0-9]{6,14}$");
    private static final Pattern SEPARATORS = Pattern.compile("[\\s().\\-/]");

    private PhoneNumbers() {
    }

    public static Optional<String> e164(String raw) {
        String compact = SEPARATORS.matcher(raw.strip()).replaceAll("");
        if (compact.startsWith("00")) {
            compact = "+" + compact.substring(2);
        }
        return E164.matcher(compact).matches() ? Optional.of(compact) : Optional.empty();
    }
}
