package dev.conversa.campaign.contacts;

import java.text.Normalizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The words that opt a contact out when a message says exactly one of them: case, surrounding blanks, repeated
 * inner blanks, trailing punctuation ({@code "Stop!"}) and accents ({@code "bája"}) do not matter; a longer message
 * that merely contains a keyword does not match.
 */
final class OptOutKeywords {

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern BLANKS = Pattern.compile("\\s+");
    private static final Pattern EDGE_PUNCTUATION = Pattern.compile("^[\\p{P}\\s]+|[\\p{P}\\s]+$");

    /** Folded keyword → the keyword as configured. */
    private final Map<String, String> keywords = new LinkedHashMap<>();

    OptOutKeywords(List<String> configured) {
        for (String keyword : configured) {
            String folded = fold(keyword);
            if (!folded.isEmpty()) {
                keywords.putIfAbsent(folded, keyword.strip().toUpperCase(Locale.ROOT));
            }
        }
    }

    /** The keyword {@code text} is, as configured (e.g. {@code STOP}); empty when it is none. */
    Optional<String> match(@Nullable String text) {
        if (text == null || text.length() > 64) {
            return Optional.empty();
        }
        return Optional.ofNullable(keywords.get(fold(text)));
    }

    static String fold(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
        String plain = MARKS.matcher(decomposed).replaceAll("");
        String trimmed = EDGE_PUNCTUATION.matcher(plain).replaceAll("");
        return BLANKS.matcher(trimmed).replaceAll(" ").toUpperCase(Locale.ROOT);
    }
}
