package dev.conversa.distribution.routing;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Whether an inbound text asks for a human: one of the keywords as a whole word (or phrase), ignoring case and
 * accents ("Quiero un AGENTE", "asesór" match "agente", "asesor"; "agentes" does not match "agente").
 */
public final class EscalationKeywords {

    public static final List<String> DEFAULTS = List.of("agente", "humano", "asesor");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    private EscalationKeywords() {
    }

    /** Lower case, accents removed, every run of non-letters a single space, padded with spaces. */
    public static String normalize(String text) {
        String stripped = MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFD)).replaceAll("");
        return " " + NOT_WORD.matcher(stripped.toLowerCase(Locale.ROOT)).replaceAll(" ").strip() + " ";
    }

    /** The first keyword {@code text} contains, or null. */
    public static @Nullable String match(@Nullable String text, List<String> keywords) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String normalized = normalize(text);
        for (String keyword : keywords) {
            String word = normalize(keyword);
            if (!word.isBlank() && normalized.contains(word)) {
                return keyword;
            }
        }
        return null;
    }
}
