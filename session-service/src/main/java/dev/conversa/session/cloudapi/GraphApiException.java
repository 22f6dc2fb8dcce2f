package dev.conversa.session.cloudapi;

/**
 * The Graph API answered a non-send request (a {@link CloudApiConnection#ping() ping}, a
 * {@link CloudApiConnection#markRead mark-as-read}) with an error. The message carries no token and no personal data.
 */
public class GraphApiException extends RuntimeException {

    private final int code;
    private final int httpStatus;
    private final boolean retryable;

    GraphApiException(int code, String title, int httpStatus, boolean retryable) {
        super("Graph API error " + code + " (HTTP " + httpStatus + "): " + title, null, false, false);
        this.code = code;
        this.httpStatus = httpStatus;
        this.retryable = retryable;
    }

    /** Meta's error code, or the HTTP status when the answer had no Graph error body (401 counts as 190). */
    public int code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public boolean retryable() {
        return retryable;
    }

    /** Whether the session's credentials are bad ({@link GraphErrors#meansBadCredentials(int)}). */
    public boolean badCredentials() {
        return GraphErrors.meansBadCredentials(code);
    }
}
