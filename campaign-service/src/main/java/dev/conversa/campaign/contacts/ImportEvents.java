package dev.conversa.campaign.contacts;

import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.events.contact.ContactImportProgress;
import dev.conversa.messaging.EventPublisher;
import dev.conversa.web.id.Uuids;
import reactor.core.publisher.Mono;

/**
 * Publishes {@code conversa.contact.import-progress.v1} / {@code import-finished.v1} on {@code crm.campaign.events},
 * keyed by import id; the event id derives from (import, type, rows read, status), so a repeat duplicates nothing.
 * The job row is the record of truth: a failed publish is logged and the import goes on.
 */
@Component
class ImportEvents {

    private static final Logger log = LoggerFactory.getLogger(ImportEvents.class);
    static final String SOURCE = "/campaign-service";

    private final EventPublisher publisher;

    ImportEvents(EventPublisher publisher) {
        this.publisher = publisher;
    }

    Mono<Void> progress(ImportJob job, Instant at) {
        return publish(EventTypes.CONTACT_IMPORT_PROGRESS, job.progress(at));
    }

    Mono<Void> finished(ImportJob job, Instant at) {
        return publish(EventTypes.CONTACT_IMPORT_FINISHED, job.progress(at));
    }

    private Mono<Void> publish(String type, ContactImportProgress progress) {
        String key = progress.importId().toString();
        EventMetadata metadata = new EventMetadata(
                Uuids.named("contact-import", key, type, Long.toString(progress.rowsRead()),
                        progress.status().value()).toString(),
                type, SOURCE, progress.occurredAt(), key, progress.tenantId(), null);
        return publisher.publish(Topics.CRM_CAMPAIGN_EVENTS, metadata, progress, key)
                .onErrorResume(error -> {
                    log.warn("Could not publish {} of import {}: {}", type, key, error.toString());
                    return Mono.empty();
                });
    }
}
