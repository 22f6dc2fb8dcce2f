package dev.conversa.messaging;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;

import dev.conversa.events.cloudevents.CloudEventCodec;

/** The CloudEvents codec, the publisher, dead letters and the durable consumer for every service on Kafka. */
@AutoConfiguration(afterName = "org.springframework.cloud.stream.function.FunctionConfiguration")
@ConditionalOnClass(StreamBridge.class)
@EnableConfigurationProperties(MessagingProperties.class)
public class MessagingAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    CloudEventCodec cloudEventCodec() {
        return new CloudEventCodec();
    }

    @Bean
    @ConditionalOnMissingBean
    EventPublisher eventPublisher(StreamBridge bridge, CloudEventCodec codec, MessagingProperties properties) {
        return new EventPublisher(bridge, codec, properties);
    }

    @Bean
    @ConditionalOnMissingBean
    DeadLetters deadLetters(EventPublisher publisher) {
        return new DeadLetters(publisher);
    }

    @Bean
    @ConditionalOnMissingBean
    DurableConsumer durableConsumer(CloudEventCodec codec, DeadLetters deadLetters, MessagingProperties properties) {
        return new DurableConsumer(codec, deadLetters, properties);
    }
}
