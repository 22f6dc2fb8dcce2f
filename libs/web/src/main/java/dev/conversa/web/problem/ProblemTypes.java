package dev.conversa.web.problem;

import java.net.URI;

import org.springframework.http.HttpStatusCode;

/** Stable {@code type} URIs of Conversa's ProblemDetail responses: clients switch on these, never on text. */
public final class ProblemTypes {

    public static final String BASE = "https://conversa.dev/problems/";

    public static final URI NOT_FOUND = of("not-found");
    public static final URI BAD_REQUEST = of("bad-request");
    public static final URI VALIDATION = of("validation");
    public static final URI CONFLICT = of("conflict");
    public static final URI UNAUTHORIZED = of("unauthorized");
    public static final URI FORBIDDEN = of("forbidden");
    public static final URI PAYLOAD_TOO_LARGE = of("payload-too-large");
    public static final URI UNSUPPORTED_MEDIA_TYPE = of("unsupported-media-type");
    public static final URI METHOD_NOT_ALLOWED = of("method-not-allowed");
    public static final URI TOO_MANY_REQUESTS = of("too-many-requests");
    public static final URI SERVICE_UNAVAILABLE = of("service-unavailable");
    public static final URI INTERNAL = of("internal");

    private ProblemTypes() {
    }

    public static URI of(String slug) {
        return URI.create(BASE + slug);
    }

    /** The generic type for a status, used where the thrower gave none. */
    public static URI forStatus(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> BAD_REQUEST;
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 409 -> CONFLICT;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 422 -> VALIDATION;
            case 429 -> TOO_MANY_REQUESTS;
            case 503 -> SERVICE_UNAVAILABLE;
            default -> status.is5xxServerError() ? INTERNAL : BAD_REQUEST;
        };
    }
}
