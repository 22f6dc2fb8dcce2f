package dev.conversa.events.command;

import java.util.List;
import java.util.Objects;

/**
 * An approved WhatsApp message template and the values of its body placeholders.
 *
 * @param name       the template's name
 * @param language   its language code, e.g. {@code es_MX}
 * @param parameters the values of {@code {{1}}}, {@code {{2}}} … in order; empty when it has none
 */
public record TemplateRef(String name, String language, List<String> parameters) {

    public TemplateRef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(language, "language");
        parameters = List.copyOf(parameters);
    }
}
