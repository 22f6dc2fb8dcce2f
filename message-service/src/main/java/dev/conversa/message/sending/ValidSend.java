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
import dev.conversa.message.media.MediaKind;
import dev.conversa.message.media.MediaRecord;
import dev.conversa.message.media.MediaReferences;
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

    /**
     * Validates every field and reports all problems at once (400, {@code errors: [{field, message}]}). A request
     * naming a stored file ({@code media.mediaId}) is checked only as far as the request goes: use
     * {@link #of(SendMessageRequest, MediaRecord)} with the file's record to build it.
     */
    static void validate(SendMessageRequest request) {
        checked(request);
    }

    /** The stored file a request names, if it names one: its record must be looked up for {@link #of}. */
    static @Nullable UUID storedMediaId(SendMessageRequest request) {
        return request.media() == null ? null : request.media().mediaId();
    }

    /** A request without a stored file ({@code text}, {@code location} or media by {@code url}). */
    static ValidSend of(SendMessageRequest request) {
        if (storedMediaId(request) != null) {
            throw new IllegalArgumentException("a request naming a stored file needs its record");
        }
        return of(request, null);
    }

    /**
     * Validates the request (400) and, when it names a stored file, reconciles it with the file's record — the
     * record is authoritative (422, {@code errors: [{field, message}]}): {@code stored} is the record of
     * {@code media.mediaId} in the caller's tenant, {@code null} when there is none (unknown id, another tenant's);
     * the file must be {@code clean} or {@code not-scanned}; a given {@code media.mimeType} must be the record's, a
     * declared {@code type} its kind; the command carries the record's MIME type, the message takes its kind as
     * type, and a document is named as uploaded unless the request names it.
     */
    static ValidSend of(SendMessageRequest request, @Nullable MediaRecord stored) {
        ValidSend valid = checked(request);
        if (valid != null) {
            return valid;
        }
        return fromStored(request.media(), declaredType(request.type()), request.replyTo(), stored);
    }

    /** 400 for any invalid field; null for a valid request that names a stored file (its record decides). */
    private static @Nullable ValidSend checked(SendMessageRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        MessageType declared = declaredType(request.type());
        if (request.type() != null && declared == null) {
            errors.add(error("type", "must be one of text, image, video, audio, document, sticker, location"));
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
        String mimeType = mimeType(media);
        // a stored file has its MIME type in its record: the request may leave it out
        if (mimeType == null ? media.mediaId() == null : !mimeType.matches("[a-z0-9.+-]+/[a-z0-9.+-]+")) {
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
        if (!errors.isEmpty() || media.mediaId() != null) {
            return null;
        }
        MessageType type = declared != null ? declared : typeOf(mimeType);
        return new ValidSend(type, null,
                new MediaRef(media.mediaId(), mimeType, media.filename(), media.caption(), media.url()), null,
                replyTo);
    }

    private static ValidSend fromStored(SendMessageRequest.Media media, @Nullable MessageType declared,
            @Nullable UUID replyTo, @Nullable MediaRecord stored) {
        if (stored == null) {
            throw unsendable(List.of(error("media.mediaId", "no stored file " + media.mediaId())));
        }
        List<Map<String, String>> errors = new ArrayList<>();
        if (!MediaReferences.SENDABLE_SCAN_RESULTS.contains(stored.scanResult())) {
            errors.add(error("media.mediaId", "the file's scan result is " + stored.scanResult()
                    + ": only clean or not-scanned files are sent"));
        }
        String mimeType = mimeType(media);
        if (mimeType != null && !mimeType.equalsIgnoreCase(stored.mimeType())) {
            errors.add(error("media.mimeType", "the stored file is " + stored.mimeType()));
        }
        MessageType type = typeOf(stored.kind());
        if (declared != null && declared != type) {
            errors.add(error("type", "the stored file is of type " + type.value()));
        }
        if (!errors.isEmpty()) {
            throw unsendable(errors);
        }
        String filename = media.filename() != null ? media.filename()
                : stored.kind() == MediaKind.DOCUMENT ? stored.filename() : null;
        return new ValidSend(type, null,
                new MediaRef(stored.id(), stored.mimeType(), filename, media.caption(), media.url()), null, replyTo);
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

    private static @Nullable MessageType declaredType(@Nullable String type) {
        if (type == null) {
            return null;
        }
        MessageType declared = MessageType.fromValue(type.strip().toLowerCase(Locale.ROOT));
        return declared == MessageType.TEXT || declared == MessageType.LOCATION || MEDIA_TYPES.contains(declared)
                ? declared : null;
    }

    private static @Nullable String mimeType(SendMessageRequest.Media media) {
        return media.mimeType() == null ? null : media.mimeType().strip().toLowerCase(Locale.ROOT);
    }

    private static MessageType typeOf(MediaKind kind) {
        return switch (kind) {
            case IMAGE -> MessageType.IMAGE;
            case AUDIO -> MessageType.AUDIO;
            case VIDEO -> MessageType.VIDEO;
            case DOCUMENT -> MessageType.DOCUMENT;
            case STICKER -> MessageType.STICKER;
        };
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

    /** 422: a well-formed request the stored file contradicts, or naming no file of the caller's tenant. */
    private static ApiException unsendable(List<Map<String, String>> errors) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, ProblemTypes.VALIDATION, "Media cannot be sent",
                "The stored media does not fit the request").with("errors", List.copyOf(errors));
    }

    private static ApiException invalid(List<Map<String, String>> errors) {
        return new ApiException(HttpStatus.BAD_REQUEST, ProblemTypes.VALIDATION, "Invalid request",
                "The request has invalid fields").with("errors", List.copyOf(errors));
    }
}
