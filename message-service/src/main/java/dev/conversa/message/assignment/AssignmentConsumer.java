package dev.conversa.message.assignment;

import java.util.function.Function;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import dev.conversa.events.conversation.ConversationAssignment;
import dev.conversa.message.inbox.InboxEvents;
import dev.conversa.message.inbox.IngestProperties;
import dev.conversa.messaging.DurableConsumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Binds {@code crm.conversation.events} (binding {@code applyConversationAssignment-in-0}) to the recorder: only the
 * assignment events, and never the ones message-service published itself ({@code ce_source} /message-service), so
 * its own {@code updated} events cannot loop back.
 */
@Configuration(proxyBeanMethods = false)
class AssignmentConsumer {

    @Bean
    Function<Flux<Message<byte[]>>, Mono<Void>> applyConversationAssignment(DurableConsumer consumer,
            AssignmentRecorder recorder, IngestProperties properties) {
        return records -> consumer.consumeBatches("applyConversationAssignment", records,
                metadata -> AssignmentRecorder.TYPES.contains(metadata.type())
                        && !InboxEvents.SOURCE.equals(metadata.source()),
                ConversationAssignment.class, properties.batchSize(), properties.maxWait(), recorder::record);
    }
}
