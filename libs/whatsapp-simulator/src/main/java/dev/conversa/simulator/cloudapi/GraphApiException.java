package dev.conversa.simulator.cloudapi;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/** A Graph API error to answer in Meta's shape; built through {@link GraphErrors}. */
final class GraphApiException extends RuntimeException {

    private final HttpStatus status;
    private final int code;
    private final String type;
    private final @Nullable String details;

    GraphApiException(HttpStatus status, int code, String type, String message, @Nullable String details) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.type = type;
        this.details = details;
    }

    HttpStatus status() {
        return status;
    }

    int code() {
        return code;
    }

    String type() {
        return type;
    }

    @Nullable String details() {
        return details;
    }
}
