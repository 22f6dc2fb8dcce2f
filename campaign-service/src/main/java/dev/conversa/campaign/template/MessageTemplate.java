package dev.conversa.campaign.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A campaign text with placeholders: {@code {{name}}}, {@code {{attribute}}} (any contact attribute, e.g. a CSV
 * column) and fallbacks, {@code {{name|cliente}}}, used when the value is missing or blank. Placeholder names are
 * letters, digits, {@code _}, {@code -} and {@code .}, case-insensitive; a placeholder without a fallback whose value
 * is missing renders as nothing. Parsed once, rendered per recipient.
 */
public final class MessageTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}|]*?)\\s*(?:\\|([^{}]*))?}}");
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}_.-]+");

    private final String source;
    private final List<Part> parts;

    private MessageTemplate(String source, List<Part> parts) {
        this.source = source;
        this.parts = parts;
    }

    /** A literal piece of text, or a placeholder with its optional fallback. */
    private record Part(String text, boolean placeholder, @Nullable String fallback) {
    }

    /**
     * Parses a template.
     *
     * @throws IllegalArgumentException with a message fit for the API client when a placeholder is malformed
     *                                  (empty or invalid name, an unclosed {@code {{})
     */
    public static MessageTemplate parse(String source) {
        List<Part> parts = new ArrayList<>();
        Matcher matcher = PLACEHOLDER.matcher(source);
        int last = 0;
        while (matcher.find()) {
            literal(parts, source.substring(last, matcher.start()));
            String name = matcher.group(1);
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("Invalid placeholder '" + matcher.group()
                        + "': use {{name}}, {{attribute}} or {{attribute|fallback}}");
            }
            parts.add(new Part(name.toLowerCase(java.util.Locale.ROOT), true, matcher.group(2)));
            last = matcher.end();
        }
        literal(parts, source.substring(last));
        return new MessageTemplate(source, List.copyOf(parts));
    }

    private static void literal(List<Part> parts, String text) {
        if (text.contains("{{") || text.contains("}}")) {
            throw new IllegalArgumentException("Unbalanced '{{' or '}}' in the message near '" + abbreviate(text)
                    + "'");
        }
        if (!text.isEmpty()) {
            parts.add(new Part(text, false, null));
        }
    }

    /** The placeholder names used (lower case), e.g. to warn about attributes no contact has. */
    public Set<String> placeholders() {
        Set<String> names = new java.util.LinkedHashSet<>();
        parts.stream().filter(Part::placeholder).forEach(part -> names.add(part.text()));
        return names;
    }

    /**
     * Renders the template with a recipient's values: {@code name} and each attribute, looked up case-insensitively
     * (callers pass keys in lower case, see {@link #values}).
     */
    public String render(Map<String, String> values) {
        StringBuilder out = new StringBuilder(source.length() + 32);
        for (Part part : parts) {
            if (!part.placeholder()) {
                out.append(part.text());
                continue;
            }
            String value = values.get(part.text());
            if (value == null || value.isBlank()) {
                value = part.fallback() != null ? part.fallback().strip() : "";
            }
            out.append(value);
        }
        return out.toString();
    }

    /** A recipient's values for {@link #render}: its attributes and {@code name}, keys in lower case. */
    public static Map<String, String> values(@Nullable String name, Map<String, ?> attributes) {
        Map<String, String> values = new java.util.HashMap<>();
        attributes.forEach((key, value) -> {
            if (value != null) {
                values.put(key.toLowerCase(java.util.Locale.ROOT), value.toString());
            }
        });
        if (name != null) {
            values.put("name", name);
        }
        return values;
    }

    public String source() {
        return source;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
