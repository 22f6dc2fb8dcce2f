package dev.conversa.simulator.cloudapi;

import org.springframework.http.HttpStatus;

/**
 * The errors the simulated Graph API answers, with Meta's codes, HTTP statuses and wording (reference §1 table). Meta
 * says to key handling on {@code code} and {@code error_data.details}; the messages follow Meta's
 * {@code (#code) title} form.
 */
final class GraphErrors {

    static final String OAUTH = "OAuthException";
    static final String GRAPH_METHOD = "GraphMethodException";

    private GraphErrors() {
    }

    /** 190: missing, unknown or wrong access token. */
    static GraphApiException invalidToken() {
        return new GraphApiException(HttpStatus.UNAUTHORIZED, 190, OAUTH,
                "Invalid OAuth access token - Cannot parse access token", null);
    }

    /** 100 on an id that is no registered number (or media) the token may use. */
    static GraphApiException unknownObject(String method, String id) {
        return new GraphApiException(HttpStatus.BAD_REQUEST, 100, GRAPH_METHOD,
                "Unsupported " + method + " request. Object with ID '" + id + "' does not exist, cannot be loaded "
                        + "due to missing permissions, or does not support this operation. Please read the Graph API "
                        + "documentation at https://developers.facebook.com/docs/graph-api",
                null);
    }

    /** 100: a parameter missing, of the wrong type, or too long. */
    static GraphApiException invalidParameter(String details) {
        return new GraphApiException(HttpStatus.BAD_REQUEST, 100, OAUTH, "(#100) Invalid parameter", details);
    }

    /** 131009: a well-formed value WhatsApp cannot use, e.g. a wamid this number never received. */
    static GraphApiException parameterValueInvalid(String details) {
        return new GraphApiException(HttpStatus.BAD_REQUEST, 131009, OAUTH, "(#131009) Parameter value is not valid",
                details);
    }

    static GraphApiException unsupportedMessageType(String type) {
        return new GraphApiException(HttpStatus.BAD_REQUEST, 131051, OAUTH, "(#131051) Unsupported message type",
                "Message type " + type + " is not currently supported.");
    }

    static GraphApiException throughput() {
        return new GraphApiException(HttpStatus.BAD_REQUEST, 130429, OAUTH, "(#130429) Rate limit hit",
                "Cloud API message throughput has been reached.");
    }

    static GraphApiException pairRate() {
        return new GraphApiException(HttpStatus.BAD_REQUEST, 131056, OAUTH,
                "(#131056) (Business Account, Consumer Account) pair rate limit hit",
                "Message failed to send because there were too many messages sent from this phone number to the "
                        + "same phone number in a short period of time.");
    }

    static GraphApiException reEngagement() {
        return new GraphApiException(HttpStatus.BAD_REQUEST, 131047, OAUTH, "(#131047) Re-engagement message",
                "Message failed to send because more than 24 hours have passed since the customer last replied to "
                        + "this number.");
    }

    static GraphApiException blocked() {
        return new GraphApiException(HttpStatus.FORBIDDEN, 368, OAUTH,
                "(#368) Temporarily blocked for policies violations",
                "This phone number is restricted from sending messages because of policy violations.");
    }

    static GraphApiException mediaUpload(HttpStatus status, String details) {
        return new GraphApiException(status, 131053, OAUTH, "(#131053) Media upload error", details);
    }
}
