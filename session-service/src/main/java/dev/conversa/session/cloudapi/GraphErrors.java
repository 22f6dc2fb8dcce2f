package dev.conversa.session.cloudapi;

import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.conversa.session.transport.SendResult;

/**
 * What the adapter makes of a Graph API error: a short title without personal data, whether sending the same
 * message later may succeed, and whether the session's credentials are bad. Meta says to key handling on
 * {@code code}, not on HTTP status or wording (reference whatsapp-cloud-api.md §1; the rows not in the reference's
 * table come from Meta's error-codes page).
 *
 * <table>
 * <caption>Codes</caption>
 * <tr><th>retryable</th><th>codes</th></tr>
 * <tr><td>yes: rate and throughput limits</td><td>4 app call rate, 17 user call rate, 80007 WABA rate, 130429
 * throughput of the number, 131048 spam rate limit (slow down), 131056 pair rate (same recipient)</td></tr>
 * <tr><td>yes: temporary or unknown server errors</td><td>1, 2, 131000, 131016, 131057 maintenance, 133004; a 5xx
 * or 429 answer without a Graph error body; an unknown code answered with a 5xx</td></tr>
 * <tr><td>no</td><td>10 and 200 permission, 100 invalid parameter, 190 access token, 368 blocked for policy,
 * 131005, 131008, 131009, 131021, 131026 undeliverable, 131031 account locked, 131042 payment, 131045, 131047
 * 24-hour window closed (send a template), 131049 per-user marketing cap (third parties: wait ≥ 24 h), 131051
 * unsupported type, 131053 media, every 132xxx template error, 133010; any other code answered with a 4xx</td></tr>
 * </table>
 *
 * <p><b>Bad credentials</b>: a {@link SendResult.Rejected} or {@link GraphApiException} whose code is 190 (token
 * expired or invalid), 10 or 200 (the token lacks permission for the number) means no send of the session can work
 * until an operator stores new credentials: see {@link #meansBadCredentials(int)}. A {@code 401} answer without a
 * Graph body is reported as code 190 too.
 */
public final class GraphErrors {

    /** The token was refused: expired, revoked or not a token. */
    public static final int ACCESS_TOKEN = 190;

    /** A send the adapter refused before calling Meta (no public URL for media, missing fields). */
    public static final int INVALID_REQUEST = 400;

    /** A media upload without a usable answer (network failure, no id): nothing was sent, so it may be tried again. */
    public static final int UPLOAD_UNANSWERED = 504;

    private static final int TITLE_MAX = 160;
    private static final Pattern DIGIT_RUNS = Pattern.compile("\\+?[0-9](?:[ ().-]{0,2}[0-9]){6,}");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private record Entry(String title, boolean retryable) {
    }

    private static final Map<Integer, Entry> CODES = Map.ofEntries(
            retry(1, "API unknown error"),
            retry(2, "API service temporarily unavailable"),
            retry(4, "application request limit reached"),
            retry(17, "user request limit reached"),
            retry(80007, "WhatsApp Business Account rate limit reached"),
            retry(130429, "throughput limit of the phone number reached"),
            retry(131000, "unknown error"),
            retry(131016, "service temporarily unavailable"),
            retry(131048, "spam rate limit hit: sending restricted because of quality"),
            retry(131056, "pair rate limit hit: too many messages to this recipient"),
            retry(131057, "business account in maintenance mode"),
            retry(133004, "server temporarily unavailable"),
            permanent(10, "permission denied"),
            permanent(100, "invalid parameter"),
            permanent(ACCESS_TOKEN, "access token expired or invalid"),
            permanent(200, "permission for this phone number missing"),
            permanent(368, "temporarily blocked for policy violations"),
            permanent(131005, "access denied"),
            permanent(131008, "required parameter missing"),
            permanent(131009, "parameter value not valid"),
            permanent(131021, "recipient cannot be the sender"),
            permanent(131026, "message undeliverable"),
            permanent(131031, "business account locked"),
            permanent(131042, "business eligibility payment issue"),
            permanent(131045, "phone number not registered correctly (certificate)"),
            permanent(131047, "re-engagement required: more than 24 hours since the customer last replied"),
            permanent(131049, "not delivered to maintain healthy ecosystem engagement"),
            permanent(131051, "unsupported message type"),
            permanent(131053, "media upload error"),
            permanent(132000, "template parameter count mismatch"),
            permanent(132001, "template does not exist or is not approved"),
            permanent(133010, "phone number not registered"));

    private GraphErrors() {
    }

    /**
     * Whether the same send may succeed later. Unknown codes: retryable only when Meta answered with a 5xx.
     *
     * @param httpStatus the HTTP status of the answer that carried the code
     */
    public static boolean isRetryable(int code, int httpStatus) {
        Entry entry = CODES.get(code);
        if (entry != null) {
            return entry.retryable();
        }
        if (isTemplateError(code)) {
            return false;
        }
        return httpStatus >= 500;
    }

    /** Whether the code means the session's credentials cannot send: 190 (token), 10 and 200 (permissions). */
    public static boolean meansBadCredentials(int code) {
        return code == ACCESS_TOKEN || code == 10 || code == 200;
    }

    /** Whether a send was rejected because the session's credentials are bad ({@link #meansBadCredentials}). */
    public static boolean meansBadCredentials(SendResult result) {
        return result instanceof SendResult.Rejected rejected && meansBadCredentials(rejected.code());
    }

    /**
     * The rejection of a Graph error answer: our own title for a known code (Meta's wording may quote numbers), for
     * others Meta's {@code message} with anything like a phone number masked, never {@code error_data.details}.
     */
    static SendResult.Rejected rejected(int code, @Nullable String metaMessage, int httpStatus) {
        return new SendResult.Rejected(code, title(code, metaMessage), isRetryable(code, httpStatus));
    }

    /**
     * The rejection of an error answer without a Graph error body (a proxy, a load balancer): 401 counts as a bad
     * token (190); 429 and 5xx are retryable; the code is the HTTP status otherwise.
     */
    static SendResult.Rejected withoutGraphError(int httpStatus) {
        if (httpStatus == 401) {
            return new SendResult.Rejected(ACCESS_TOKEN, "access token refused (HTTP 401)", false);
        }
        boolean retryable = httpStatus == 429 || httpStatus >= 500;
        return new SendResult.Rejected(httpStatus, "HTTP " + httpStatus + " without a Graph API error", retryable);
    }

    static String title(int code, @Nullable String metaMessage) {
        Entry entry = CODES.get(code);
        if (entry != null) {
            return entry.title();
        }
        if (isTemplateError(code) && (metaMessage == null || metaMessage.isBlank())) {
            return "template error";
        }
        return metaMessage == null || metaMessage.isBlank() ? "Graph API error " + code : sanitize(metaMessage);
    }

    /** Masks anything like a phone number (7 digits or more), drops control characters, caps the length. */
    static String sanitize(String message) {
        String masked = DIGIT_RUNS.matcher(message).replaceAll("***");
        String clean = CONTROL.matcher(masked).replaceAll(" ").strip();
        return clean.length() <= TITLE_MAX ? clean : clean.substring(0, TITLE_MAX - 1) + "…";
    }

    private static boolean isTemplateError(int code) {
        return code >= 132000 && code <= 132999;
    }

    private static Map.Entry<Integer, Entry> retry(int code, String title) {
        return Map.entry(code, new Entry(title, true));
    }

    private static Map.Entry<Integer, Entry> permanent(int code, String title) {
        return Map.entry(code, new Entry(title, false));
    }
}
