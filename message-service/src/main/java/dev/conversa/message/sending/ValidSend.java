package dev.conversa.message.sending;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

import dev.conversa.events.command.MediaRef;
import dev.conversa.events.message.Location;
import dev.conversa.events.message.MessageType;
import dev.conversa.web.problem.ApiException;
import dev.conversa.web.problem.ProblemTypes;

/** A {@link SendMessageRequest} that passed validation, in the shapes of the send command. */
record ValidSend(MessageType type, @Nullable String text, @Nullable MediaRef media, @Nullable Location location,
        @Nullable UUID replyTo) {

    static final int MAX_TEXT = 4096;
    static final int MAX_CAPTION = 1024;
    static final int MAX_FILENAME = 240;
    static final int MAX_PLACE_TEXT = 1000;
    private static final List<MessageType> MEDIA_TYPES = List.of(MessageType.IMAGE, MessageType.VIDEO,
            MessageType.AUDIO, MessageType.DOCUMENT, MessageType.STICKER);

    /** Validates every field and reports all problems at once (400, {@code errors: [{field, message}]}). */
    static ValidSend of(SendMessageRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        MessageType declared = null;
        if (request.type() != null) {
            declared = MessageType.fromValue(request.type().strip().toLowerCase(Locale.ROOT));
            if (declared != MessageType.TEXT && declared != MessageType.LOCATION && !MEDIA_TYPES.contains(declared)) {
                errors.add(error("type", "must be one of text, image, video, audio, document, sticker, location"));
                declared = null;
            }
        }
        int parts = (request.text() != null ? 1 : 0) + (request.media() != null ? 1 : 0)
                + (request.location() != null ? 1 : 0);
        if (parts != 1) {
            errors.add(error("text", "give exactly one of text, media or location"));
            throw invalid(errors);
        }
        ValidSend valid = null;
        if (request.text() != null) {
            String text = request.text();
            if (text.isBlank()) {
                errors.add(error("text", "must not be blank"));
            }
            else if (text.codePointCount(0, text.length()) > MAX_TEXT) {
                errors.add(error("text", "must be at most " + MAX_TEXT + " characters"));
            }
            if (declared != null && declared != MessageType.TEXT) {
                errors.add(error("type", "a text message has type text"));
            }
            valid = new ValidSend(MessageType.TEXT, text, null, null, request.replyTo());
        }
        else if (request.media() != null) {
            valid = media(request.media(), declared, request.replyTo(), errors);
        }
        else {
            valid = location(request.location(), declared, request.replyTo(), errors);
        }
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        return valid;
    }

    private static @Nullable ValidSend media(SendMessageRequest.Media media, @Nullable MessageType declared,
            @Nullable UUID replyTo, List<Map<String, String>> errors) {
        String mimeType = media.mimeType() == null ? null : media.mimeType().strip().toLowerCase(Locale.ROOT);
        if (mimeType == null || !mimeType.matches("[a-z0-9.+-]+/[a-z0-9.+-]+")) {
            errors.add(error("media.mimeType", "must be a MIME type such as image/jpeg"));
        }
        if (media.mediaId() == null && media.url() == null) {
            errors.add(error("media", "give mediaId (a stored file) or url"));
        }
        if (media.url() != null && !isHttpsUrl(media.url())) {
            errors.add(error("media.url", "must be an absolute https URL"));
        }
        if (media.caption() != null && media.caption().codePointCount(0, media.caption().length()) > MAX_CAPTION) {
            errors.add(error("media.caption", "must be at most " + MAX_CAPTION + " characters"));
        }
        if (media.filename() != null && (media.filename().isBlank() || media.filename().length() > MAX_FILENAME)) {
            errors.add(error("media.filename", "must be 1 to " + MAX_FILENAME + " characters"));
        }
        if (declared == MessageType.TEXT || declared == MessageType.LOCATION) {
            errors.add(error("type", "a media message has type image, video, audio, document or sticker"));
        }
        if (!errors.isEmpty()) {
            return null;
        }
        MessageType type = declared != null ? declared : typeOf(mimeType);
        return new ValidSend(type, null,
                new MediaRef(media.mediaId(), mimeType, media.filename(), media.caption(), media.url()), null,
                replyTo);
    }

    private static @Nullable ValidSend location(SendMessageRequest.Place place, @Nullable MessageType declared,
            @Nullable UUID replyTo, List<Map<String, String>> errors) {
        if (place.latitude() == null || place.latitude() < -90 || place.latitude() > 90) {
            errors.add(error("location.latitude", "must be between -90 and 90"));
        }
        if (place.longitude() == null || place.longitude() < -180 || place.longitude() > 180) {
            errors.add(error("location.longitude", "must be between -180 and 180"));
        }
        if (place.name() != null && place.name().length() > MAX_PLACE_TEXT) {
            errors.add(error("location.name", "must be at most " + MAX_PLACE_TEXT + " characters"));
        }
        if (place.address() != null && place.address().length() > MAX_PLACE_TEXT) {
            errors.add(error("location.address", "must be at most " + MAX_PLACE_TEXT + " characters"));
        }
        if (declared != null && declared != MessageType.LOCATION) {
            errors.add(error("type", "a location message has type location"));
        }
        if (!errors.isEmpty()) {
            return null;
        }
        return new ValidSend(MessageType.LOCATION, null, null,
                new Location(place.latitude(), place.longitude(), place.name(), place.address()), replyTo);
    }

    private static MessageType typeOf(String mimeType) {
        if (mimeType.startsWith("image/")) {
            return MessageType.IMAGE;
        }
        if (mimeType.startsWith("video/")) {
            return MessageType.VIDEO;
        }
        if (mimeType.startsWith("audio/")) {
            return MessageType.AUDIO;
        }
        return MessageType.DOCUMENT;
    }

    private static boolean isHttpsUrl(String value) {
        try {
            URI uri = new URI(value);
            return "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null;
        }
        catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /**
     * The conversation's preview of this message, as the inbox makes it: the text, else the caption, else the
     * place's name or address, else {@code [type]}.
     */
    String preview() {
        for (String candidate : new String[] {text, media == null ? null : media.caption(),
            location == null ? null : location.name(), location == null ? null : location.address()}) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate;
            }
        }
        return "[" + type.value() + "]";
    }

    private static Map<String, String> error(String field, String message) {
        return Map.of("field", field, "message", message);
    }

    private static ApiException invalid(List<Map<String, String>> errors) {
        return new ApiException(HttpStatus.BAD_REQUEST, ProblemTypes.VALIDATION, "Invalid request",
                "The request has invalid fields").with("errors", List.copyOf(errors));
    }
}
