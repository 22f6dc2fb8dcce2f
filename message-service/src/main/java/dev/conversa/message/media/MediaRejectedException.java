package dev.conversa.message.media;

import org.springframework.http.HttpStatus;

import dev.conversa.web.problem.ApiException;
import dev.conversa.web.problem.ProblemTypes;

/** An upload refused for what it is: too large (413), or of a type we do not take or it pretends not to be (415). */
final class MediaRejectedException extends ApiException {

    private MediaRejectedException(HttpStatus status, String title, String detail) {
        super(status, ProblemTypes.forStatus(status), title, detail);
    }

    static MediaRejectedException tooLarge(MediaKind kind, long limit) {
        return (MediaRejectedException) new MediaRejectedException(HttpStatus.CONTENT_TOO_LARGE, "File too large",
                "A " + kind.value() + " may be at most " + limit + " bytes").with("limit", limit)
                .with("kind", kind.value());
    }

    static MediaRejectedException tooLarge(long limit) {
        return (MediaRejectedException) new MediaRejectedException(HttpStatus.CONTENT_TOO_LARGE, "File too large",
                "A file may be at most " + limit + " bytes").with("limit", limit);
    }

    static MediaRejectedException unsupported(String detectedType, String detail) {
        return (MediaRejectedException) new MediaRejectedException(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "Unsupported media type", detail).with("detectedType", detectedType);
    }

    static MediaRejectedException infected(String signature) {
        return (MediaRejectedException) new MediaRejectedException(HttpStatus.UNPROCESSABLE_CONTENT, "Infected file",
                "The antivirus scan found " + signature + "; the file was deleted").with("signature", signature);
    }
}
