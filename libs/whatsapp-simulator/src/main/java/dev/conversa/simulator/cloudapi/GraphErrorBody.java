package dev.conversa.simulator.cloudapi;

import java.security.SecureRandom;
import java.util.Base64;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code {"error":{"message","type","code","error_data":{"messaging_product","details"},"fbtrace_id"}}}: Meta's error
 * body; {@code error_data} only for WhatsApp errors, as Graph's own errors (190, 100 on an unknown id) have none.
 */
record GraphErrorBody(Error error) {

    private static final SecureRandom RANDOM = new SecureRandom();

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Error(String message, String type, int code, @JsonProperty("error_data") @Nullable ErrorData errorData,
            @JsonProperty("fbtrace_id") String fbtraceId) {
    }

    record ErrorData(@JsonProperty("messaging_product") String messagingProduct, String details) {
    }

    static GraphErrorBody of(GraphApiException e) {
        ErrorData data = e.details() == null ? null : new ErrorData("whatsapp", e.details());
        return new GraphErrorBody(new Error(e.getMessage(), e.type(), e.code(), data, fbtraceId()));
    }

    private static String fbtraceId() {
        byte[] bytes = new byte[15];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
