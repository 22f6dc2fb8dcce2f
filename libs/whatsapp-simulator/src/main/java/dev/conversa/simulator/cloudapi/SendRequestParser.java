package dev.conversa.simulator.cloudapi;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import dev.conversa.simulator.media.MediaStore;
import dev.conversa.simulator.phone.PhoneNumbers;
import tools.jackson.databind.JsonNode;

/**
 * Reads a {@code POST /{version}/{phone-number-id}/messages} body the way the Cloud API does (reference §1, §5): a
 * send of one of the supported types, or a mark-as-read. A parameter missing, of the wrong JSON type or too long
 * answers 100 with Meta's {@code Param x['y']} wording; a well-formed value that cannot be used (a phone number that
 * is none, an unknown media id) answers 131009; an unknown {@code type} 131051.
 */
@Component
class SendRequestParser {

    static final int TEXT_MAX = 4096;
    static final int CAPTION_MAX = 1024;
    static final int BIZ_OPAQUE_MAX = 512;
    static final Set<String> MEDIA_TYPES = Set.of("image", "audio", "video", "document", "sticker");

    /** What the request asks for. */
    sealed interface CloudRequest permits Send, MarkRead {
    }

    /**
     * A message to send.
     *
     * @param to        {@code to} as given ({@code contacts[].input})
     * @param recipient the recipient's digits ({@code wa_id})
     * @param text      the text, caption, template name … for the ground truth
     * @param bizOpaque {@code biz_opaque_callback_data}, echoed in statuses
     * @param media     the {@code id} of an uploaded file or the {@code link} a media message carries
     */
    record Send(String to, String recipient, String type, @Nullable String text, @Nullable String bizOpaque,
            @Nullable String contextMessageId, @Nullable String media) implements CloudRequest {

        boolean isTemplate() {
            return "template".equals(type);
        }
    }

    /** {@code {"status":"read","message_id":…}}, optionally with a typing indicator. */
    record MarkRead(String messageId, boolean typingIndicator) implements CloudRequest {
    }

    private final MediaStore media;

    SendRequestParser(MediaStore media) {
        this.media = media;
    }

    CloudRequest parse(JsonNode body) {
        if (!body.isObject()) {
            throw GraphErrors.invalidParameter("The request body must be a JSON object.");
        }
        String product = string(body, "messaging_product", "messaging_product", true, Integer.MAX_VALUE);
        if (!"whatsapp".equals(product)) {
            throw GraphErrors.invalidParameter("Param messaging_product must be one of {WHATSAPP} - got \""
                    + product + "\".");
        }
        if (body.has("status")) {
            return markRead(body);
        }
        String recipientType = string(body, "recipient_type", "recipient_type", false, Integer.MAX_VALUE);
        if (recipientType != null && !"individual".equals(recipientType)) {
            if ("group".equals(recipientType)) {
                throw GraphErrors.parameterValueInvalid("Group messages are not simulated.");
            }
            throw GraphErrors.invalidParameter("Param recipient_type must be one of {INDIVIDUAL, GROUP} - got \""
                    + recipientType + "\".");
        }
        String to = string(body, "to", "to", true, Integer.MAX_VALUE);
        String recipient;
        try {
            recipient = PhoneNumbers.digits(to);
        }
        catch (IllegalArgumentException e) {
            throw GraphErrors.parameterValueInvalid("The parameter to (" + to + ") is not a valid phone number.");
        }
        String type = string(body, "type", "type", false, Integer.MAX_VALUE);
        if (type == null) {
            type = "text";
        }
        String bizOpaque = string(body, "biz_opaque_callback_data", "biz_opaque_callback_data", false,
                BIZ_OPAQUE_MAX);
        String contextId = null;
        if (body.has("context")) {
            JsonNode context = object(body, "context", "context");
            contextId = string(context, "message_id", "context['message_id']", true, Integer.MAX_VALUE);
        }
        String text = switch (type) {
            case "text" -> text(body);
            case "image", "audio", "video", "document", "sticker" -> media(body, type);
            case "template" -> template(body);
            case "interactive" -> interactive(body);
            case "reaction" -> reaction(body);
            case "location" -> location(body);
            case "contacts" -> contacts(body);
            default -> throw GraphErrors.unsupportedMessageType(type);
        };
        String media = MEDIA_TYPES.contains(type) ? mediaReference(body.get(type)) : null;
        return new Send(to, recipient, type, text, bizOpaque, contextId, media);
    }

    private MarkRead markRead(JsonNode body) {
        String status = string(body, "status", "status", true, Integer.MAX_VALUE);
        if (!"read".equals(status)) {
            throw GraphErrors.invalidParameter("Param status must be one of {READ} - got \"" + status + "\".");
        }
        String messageId = string(body, "message_id", "message_id", true, Integer.MAX_VALUE);
        boolean typing = false;
        if (body.has("typing_indicator")) {
            JsonNode indicator = object(body, "typing_indicator", "typing_indicator");
            String indicatorType = string(indicator, "type", "typing_indicator['type']", true, Integer.MAX_VALUE);
            if (!"text".equals(indicatorType)) {
                throw GraphErrors.invalidParameter("Param typing_indicator['type'] must be one of {TEXT} - got \""
                        + indicatorType + "\".");
            }
            typing = true;
        }
        return new MarkRead(messageId, typing);
    }

    private String text(JsonNode body) {
        JsonNode text = object(body, "text", "text");
        String value = string(text, "body", "text['body']", true, TEXT_MAX);
        if (text.has("preview_url") && !text.get("preview_url").isBoolean()) {
            throw GraphErrors.invalidParameter("Param text['preview_url'] must be a boolean.");
        }
        return value;
    }

    private @Nullable String media(JsonNode body, String type) {
        JsonNode object = object(body, type, type);
        mediaObject(object, type);
        String caption = null;
        if (object.has("caption")) {
            if ("audio".equals(type) || "sticker".equals(type)) {
                throw GraphErrors.invalidParameter("Param " + type + "['caption'] is not allowed for " + type
                        + " messages.");
            }
            caption = string(object, "caption", type + "['caption']", true, CAPTION_MAX);
        }
        if ("document".equals(type)) {
            string(object, "filename", "document['filename']", false, 240);
        }
        return caption;
    }

    private static String mediaReference(JsonNode object) {
        return object.has("id") ? object.get("id").stringValue() : object.get("link").stringValue();
    }

    /** An {@code id} of an uploaded file or a {@code link}, exactly one of them. */
    private void mediaObject(JsonNode object, String path) {
        boolean hasId = object.has("id");
        boolean hasLink = object.has("link");
        if (hasId == hasLink) {
            throw GraphErrors.invalidParameter("Param " + path + " must have exactly one of id or link.");
        }
        if (hasId) {
            String id = string(object, "id", path + "['id']", true, Integer.MAX_VALUE);
            if (media.find(id).isEmpty()) {
                throw GraphErrors.parameterValueInvalid("Param " + path + "['id'] is not a valid media id: " + id
                        + ".");
            }
        }
        else {
            String link = string(object, "link", path + "['link']", true, 2048);
            if (!isHttpUrl(link)) {
                throw GraphErrors.invalidParameter("Param " + path + "['link'] must be a valid http(s) URL.");
            }
        }
    }

    private String template(JsonNode body) {
        JsonNode template = object(body, "template", "template");
        String name = string(template, "name", "template['name']", true, 512);
        JsonNode language = object(template, "language", "template['language']");
        string(language, "code", "template['language']['code']", true, 16);
        string(language, "policy", "template['language']['policy']", false, Integer.MAX_VALUE);
        if (template.has("components")) {
            JsonNode components = array(template, "components", "template['components']");
            for (int i = 0; i < components.size(); i++) {
                String path = "template['components'][" + i + "]";
                JsonNode component = element(components, i, path);
                String componentType = string(component, "type", path + "['type']", true, Integer.MAX_VALUE);
                if (!Set.of("header", "body", "button", "footer", "carousel", "limited_time_offer")
                        .contains(componentType)) {
                    throw GraphErrors.invalidParameter("Param " + path + "['type'] must be one of {HEADER, BODY, "
                            + "BUTTON, FOOTER, CAROUSEL, LIMITED_TIME_OFFER} - got \"" + componentType + "\".");
                }
                if ("button".equals(componentType)) {
                    string(component, "sub_type", path + "['sub_type']", true, Integer.MAX_VALUE);
                    indexOf(component, path + "['index']");
                }
                if (component.has("parameters")) {
                    parameters(array(component, "parameters", path + "['parameters']"), path + "['parameters']");
                }
            }
        }
        return name;
    }

    private void parameters(JsonNode parameters, String path) {
        for (int i = 0; i < parameters.size(); i++) {
            String at = path + "[" + i + "]";
            JsonNode parameter = element(parameters, i, at);
            String type = string(parameter, "type", at + "['type']", true, Integer.MAX_VALUE);
            switch (type) {
                case "text" -> string(parameter, "text", at + "['text']", true, 32_768);
                case "payload" -> string(parameter, "payload", at + "['payload']", true, 1024);
                case "currency" -> {
                    JsonNode currency = object(parameter, "currency", at + "['currency']");
                    string(currency, "fallback_value", at + "['currency']['fallback_value']", true, 1024);
                    string(currency, "code", at + "['currency']['code']", true, 3);
                    if (!currency.path("amount_1000").isIntegralNumber()) {
                        throw GraphErrors.invalidParameter("Param " + at + "['currency']['amount_1000'] must be "
                                + "an integer.");
                    }
                }
                case "date_time" -> string(object(parameter, "date_time", at + "['date_time']"), "fallback_value",
                        at + "['date_time']['fallback_value']", true, 1024);
                case "image", "video", "document" -> mediaObject(object(parameter, type, at + "['" + type + "']"),
                        at + "['" + type + "']");
                case "location", "coupon_code", "action", "product", "limited_time_offer" -> {
                    // accepted as given; not used by the simulator
                }
                default -> throw GraphErrors.invalidParameter("Param " + at + "['type'] must be one of {TEXT, "
                        + "CURRENCY, DATE_TIME, IMAGE, VIDEO, DOCUMENT, PAYLOAD, LOCATION} - got \"" + type + "\".");
            }
        }
    }

    private String interactive(JsonNode body) {
        JsonNode interactive = object(body, "interactive", "interactive");
        String type = string(interactive, "type", "interactive['type']", true, Integer.MAX_VALUE);
        int bodyMax = "list".equals(type) ? TEXT_MAX : CAPTION_MAX;
        String text = string(object(interactive, "body", "interactive['body']"), "text", "interactive['body']['text']",
                true, bodyMax);
        if (interactive.has("footer")) {
            string(object(interactive, "footer", "interactive['footer']"), "text", "interactive['footer']['text']",
                    true, 60);
        }
        if (interactive.has("header")) {
            header(object(interactive, "header", "interactive['header']"), type);
        }
        JsonNode action = object(interactive, "action", "interactive['action']");
        switch (type) {
            case "button" -> buttons(action);
            case "list" -> list(action);
            case "cta_url" -> {
                JsonNode parameters = object(action, "parameters", "interactive['action']['parameters']");
                string(parameters, "display_text", "interactive['action']['parameters']['display_text']", true, 20);
                String url = string(parameters, "url", "interactive['action']['parameters']['url']", true, 2048);
                if (!isHttpUrl(url)) {
                    throw GraphErrors.invalidParameter("Param interactive['action']['parameters']['url'] must be a "
                            + "valid http(s) URL.");
                }
            }
            default -> throw GraphErrors.invalidParameter("Param interactive['type'] must be one of {BUTTON, LIST, "
                    + "CTA_URL} - got \"" + type + "\".");
        }
        return text;
    }

    private void header(JsonNode header, String interactiveType) {
        String type = string(header, "type", "interactive['header']['type']", true, Integer.MAX_VALUE);
        Set<String> allowed = "button".equals(interactiveType) ? Set.of("text", "image", "video", "document")
                : Set.of("text");
        if (!allowed.contains(type)) {
            throw GraphErrors.invalidParameter("Param interactive['header']['type'] must be one of "
                    + allowed.stream().sorted().map(String::toUpperCase).toList() + " for " + interactiveType
                    + " messages - got \"" + type + "\".");
        }
        if ("text".equals(type)) {
            string(header, "text", "interactive['header']['text']", true, 60);
        }
        else {
            mediaObject(object(header, type, "interactive['header']['" + type + "']"),
                    "interactive['header']['" + type + "']");
        }
    }

    private void buttons(JsonNode action) {
        String path = "interactive['action']['buttons']";
        JsonNode buttons = array(action, "buttons", path);
        if (buttons.isEmpty() || buttons.size() > 3) {
            throw GraphErrors.invalidParameter("Param " + path + " must have between 1 and 3 elements.");
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < buttons.size(); i++) {
            String at = path + "[" + i + "]";
            JsonNode button = element(buttons, i, at);
            String type = string(button, "type", at + "['type']", true, Integer.MAX_VALUE);
            if (!"reply".equals(type)) {
                throw GraphErrors.invalidParameter("Param " + at + "['type'] must be one of {REPLY} - got \"" + type
                        + "\".");
            }
            JsonNode reply = object(button, "reply", at + "['reply']");
            String id = string(reply, "id", at + "['reply']['id']", true, 256);
            string(reply, "title", at + "['reply']['title']", true, 20);
            if (!ids.add(id)) {
                throw GraphErrors.invalidParameter("Buttons must have unique ids; " + id + " is repeated.");
            }
        }
    }

    private void list(JsonNode action) {
        string(action, "button", "interactive['action']['button']", true, 20);
        String path = "interactive['action']['sections']";
        JsonNode sections = array(action, "sections", path);
        if (sections.isEmpty() || sections.size() > 10) {
            throw GraphErrors.invalidParameter("Param " + path + " must have between 1 and 10 elements.");
        }
        int rowCount = 0;
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < sections.size(); i++) {
            String at = path + "[" + i + "]";
            JsonNode section = element(sections, i, at);
            string(section, "title", at + "['title']", sections.size() > 1, 24);
            JsonNode rows = array(section, "rows", at + "['rows']");
            for (int r = 0; r < rows.size(); r++) {
                String rowPath = at + "['rows'][" + r + "]";
                JsonNode row = element(rows, r, rowPath);
                String id = string(row, "id", rowPath + "['id']", true, 200);
                string(row, "title", rowPath + "['title']", true, 24);
                string(row, "description", rowPath + "['description']", false, 72);
                if (!ids.add(id)) {
                    throw GraphErrors.invalidParameter("Rows must have unique ids; " + id + " is repeated.");
                }
                rowCount++;
            }
        }
        if (rowCount < 1 || rowCount > 10) {
            throw GraphErrors.invalidParameter("A list must have between 1 and 10 rows in total; got " + rowCount
                    + ".");
        }
    }

    private @Nullable String reaction(JsonNode body) {
        JsonNode reaction = object(body, "reaction", "reaction");
        string(reaction, "message_id", "reaction['message_id']", true, Integer.MAX_VALUE);
        return string(reaction, "emoji", "reaction['emoji']", false, 32);
    }

    private @Nullable String location(JsonNode body) {
        JsonNode location = object(body, "location", "location");
        coordinate(location, "latitude", 90);
        coordinate(location, "longitude", 180);
        string(location, "address", "location['address']", false, 1024);
        return string(location, "name", "location['name']", false, 1024);
    }

    private String contacts(JsonNode body) {
        JsonNode contacts = array(body, "contacts", "contacts");
        if (contacts.isEmpty()) {
            throw GraphErrors.invalidParameter("Param contacts must have at least one element.");
        }
        String first = null;
        for (int i = 0; i < contacts.size(); i++) {
            String at = "contacts[" + i + "]";
            JsonNode name = object(element(contacts, i, at), "name", at + "['name']");
            String formatted = string(name, "formatted_name", at + "['name']['formatted_name']", true, 1024);
            first = first == null ? formatted : first;
        }
        return first;
    }

    private static void coordinate(JsonNode location, String name, double limit) {
        JsonNode value = location.get(name);
        if (value == null || value.isNull()) {
            throw GraphErrors.invalidParameter("The parameter location['" + name + "'] is required.");
        }
        double degrees;
        if (value.isNumber()) {
            degrees = value.doubleValue();
        }
        else if (value.isString()) {
            try {
                degrees = Double.parseDouble(value.stringValue());
            }
            catch (NumberFormatException e) {
                throw GraphErrors.invalidParameter("Param location['" + name + "'] must be a number.");
            }
        }
        else {
            throw GraphErrors.invalidParameter("Param location['" + name + "'] must be a number.");
        }
        if (Math.abs(degrees) > limit) {
            throw GraphErrors.invalidParameter("Param location['" + name + "'] must be between -" + (int) limit
                    + " and " + (int) limit + ".");
        }
    }

    private static void indexOf(JsonNode component, String path) {
        JsonNode index = component.get("index");
        boolean valid = index != null && (index.isIntegralNumber()
                || index.isString() && index.stringValue().matches("[0-9]{1,2}"));
        if (!valid) {
            throw GraphErrors.invalidParameter("Param " + path + " is required and must be a number.");
        }
    }

    private static JsonNode object(JsonNode parent, String name, String path) {
        JsonNode value = parent.get(name);
        if (value == null || value.isNull()) {
            throw GraphErrors.invalidParameter("The parameter " + path + " is required.");
        }
        if (!value.isObject()) {
            throw GraphErrors.invalidParameter("Param " + path + " must be a JSON object.");
        }
        return value;
    }

    private static JsonNode array(JsonNode parent, String name, String path) {
        JsonNode value = parent.get(name);
        if (value == null || value.isNull()) {
            throw GraphErrors.invalidParameter("The parameter " + path + " is required.");
        }
        if (!value.isArray()) {
            throw GraphErrors.invalidParameter("Param " + path + " must be an array.");
        }
        return value;
    }

    private static JsonNode element(JsonNode array, int index, String path) {
        JsonNode value = array.get(index);
        if (value == null || !value.isObject()) {
            throw GraphErrors.invalidParameter("Param " + path + " must be a JSON object.");
        }
        return value;
    }

    /** A string parameter; null when optional and absent. */
    private static @Nullable String string(JsonNode parent, String name, String path, boolean required,
            int maxLength) {
        JsonNode value = parent.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                throw GraphErrors.invalidParameter("The parameter " + path + " is required.");
            }
            return null;
        }
        if (!value.isString()) {
            throw GraphErrors.invalidParameter("Param " + path + " must be a string.");
        }
        String text = value.stringValue();
        if (required && text.isBlank()) {
            throw GraphErrors.invalidParameter("Param " + path + " must be a non-empty string.");
        }
        if (text.length() > maxLength) {
            throw GraphErrors.invalidParameter("Param " + path + " must be at most " + maxLength
                    + " characters long.");
        }
        return text;
    }

    private static boolean isHttpUrl(String link) {
        try {
            URI uri = new URI(link);
            return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null;
        }
        catch (URISyntaxException e) {
            return false;
        }
    }
}
