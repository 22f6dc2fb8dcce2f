package dev.conversa.session.transport;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * WhatsApp did not take a file upload, or did not answer it: {@link #rejected()} says why, and whether the send that
 * needed the file may try again later. Nothing reached the recipient, so retrying an upload is always safe.
 */
public final class MediaUploadException extends RuntimeException {

    private final SendResult.Rejected rejected;

    public MediaUploadException(SendResult.Rejected rejected, @Nullable Throwable cause) {
        super(rejected.code() + " " + rejected.title(), cause);
        this.rejected = Objects.requireNonNull(rejected, "rejected");
    }

    /** What the send that needed the file answers: the code, a title without personal data, and retryability. */
    public SendResult.Rejected rejected() {
        return rejected;
    }
}
