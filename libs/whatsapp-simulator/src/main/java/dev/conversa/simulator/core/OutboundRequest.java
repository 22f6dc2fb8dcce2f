package dev.conversa.simulator.core;

import org.jspecify.annotations.Nullable;

/**
 * A business number's send, as a transport received it.
 *
 * @param channel        {@code linked} or {@code cloud-api}
 * @param businessNumber the sender (digits)
 * @param deviceId       the linked device that sent it; null for the Cloud API
 * @param to             the recipient (digits)
 * @param type           text, image, document, template, interactive, reaction …
 * @param text           the text or caption, where there is one
 * @param clientRef      the client's own key for the send (the linked frame's {@code clientRef}, the Cloud API's
 *                       {@code biz_opaque_callback_data}): ground truth counts sends per key to expose duplicates
 * @param mediaId        the media object a media message carries (an uploaded file's id), or null
 */
public record OutboundRequest(
        String channel,
        String businessNumber,
        @Nullable String deviceId,
        String to,
        String type,
        @Nullable String text,
        @Nullable String clientRef,
        @Nullable String mediaId) {

    /** A send without a media object. */
    public OutboundRequest(String channel, String businessNumber, @Nullable String deviceId, String to, String type,
            @Nullable String text, @Nullable String clientRef) {
        this(channel, businessNumber, deviceId, to, type, text, clientRef, null);
    }
}
