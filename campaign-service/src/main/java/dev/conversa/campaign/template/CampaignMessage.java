package dev.conversa.campaign.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.conversa.events.command.MediaRef;
import dev.conversa.events.command.TemplateRef;

/**
 * What a campaign sends (stored as {@code campaigns.message} jsonb): a text with placeholders, optionally with media
 * (the text is then the caption), or a Cloud API template whose parameters may hold placeholders too.
 */
public record CampaignMessage(@Nullable String text, @Nullable MediaRef media, @Nullable TemplateRef template) {

    /** Longest text WhatsApp takes in one message. */
    public static final int MAX_TEXT_LENGTH = 4096;

    /**
     * Checks that the message is one of the two forms and that its placeholders parse.
     *
     * @throws IllegalArgumentException with a message fit for the API client
     */
    public CampaignMessage validate() {
        if (template != null && (text != null || media != null)) {
            throw new IllegalArgumentException("message: give either a template or a text (with optional media)");
        }
        if (template == null && (text == null || text.isBlank()) && media == null) {
            throw new IllegalArgumentException("message: a text, media or a template is required");
        }
        if (text != null) {
            if (text.length() > MAX_TEXT_LENGTH) {
                throw new IllegalArgumentException("message.text: at most " + MAX_TEXT_LENGTH + " characters");
            }
            MessageTemplate.parse(text);
        }
        if (template != null) {
            template.parameters().forEach(MessageTemplate::parse);
        }
        return this;
    }

    /** The message for one recipient, placeholders filled from its values (see {@link MessageTemplate#values}). */
    public CampaignMessage renderFor(Map<String, String> values) {
        String renderedText = text == null ? null : MessageTemplate.parse(text).render(values);
        TemplateRef renderedTemplate = null;
        if (template != null) {
            List<String> parameters = new ArrayList<>();
            template.parameters().forEach(parameter -> parameters.add(MessageTemplate.parse(parameter)
                    .render(values)));
            renderedTemplate = new TemplateRef(template.name(), template.language(), parameters);
        }
        MediaRef renderedMedia = media;
        if (media != null && renderedText != null) {
            renderedMedia = new MediaRef(media.mediaId(), media.mimeType(), media.filename(), renderedText,
                    media.url());
        }
        return new CampaignMessage(renderedText, renderedMedia, renderedTemplate);
    }
}
