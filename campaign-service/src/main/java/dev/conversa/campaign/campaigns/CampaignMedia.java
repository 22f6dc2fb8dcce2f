package dev.conversa.campaign.campaigns;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import dev.conversa.events.command.MediaRef;
import dev.conversa.media.storage.MediaKeys;
import dev.conversa.media.storage.MediaStorage;
import dev.conversa.web.problem.ApiException;
import dev.conversa.web.problem.ProblemTypes;
import reactor.core.publisher.Mono;

/**
 * A campaign's file must be one of the tenant's stored media (uploaded through {@code POST /api/v1/media}) before
 * the campaign is saved: session-service uploads it to WhatsApp from the shared media storage at send time, and a
 * campaign whose file is missing would fail every recipient. Looked up by key ({@code <tenant>/<mediaId>}) in the
 * storage message-service and session-service use, so another tenant's id is as unknown as a made-up one.
 */
@Component
class CampaignMedia {

    private final MediaStorage storage;

    CampaignMedia(MediaStorage storage) {
        this.storage = storage;
    }

    /** Completes when the definition has no stored file or its file is stored; else a 422 with a field error. */
    Mono<Void> requireStored(String tenantId, CampaignDefinition definition) {
        MediaRef media = definition.message().media();
        if (media == null || media.mediaId() == null) {
            return Mono.empty();
        }
        UUID mediaId = media.mediaId();
        return storage.exists(MediaKeys.of(tenantId, mediaId)).flatMap(stored -> stored ? Mono.<Void>empty()
                : Mono.error(new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, ProblemTypes.VALIDATION,
                        "Unknown media", "The campaign's file is not one of this tenant's stored media")
                        .with("errors", List.of(Map.of("field", "message.media.mediaId",
                                "message", "no stored media " + mediaId + "; upload the file first")))));
    }
}
