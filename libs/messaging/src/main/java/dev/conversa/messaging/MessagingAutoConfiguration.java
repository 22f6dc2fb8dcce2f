package dev.conversa.messaging;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cloud.stream.config.ConsumerEndpointCustomizer;
import org.springframework.cloud.stream.config.ListenerContainerCustomizer;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.integration.kafka.inbound.KafkaMessageDrivenChannelAdapter;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;

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

    /** The template behind {@link EventPublisher#publishAll}: one idempotent producer to the binder's brokers. */
    static final String EVENT_KAFKA_TEMPLATE = "conversaEventKafkaTemplate";

    @Bean(EVENT_KAFKA_TEMPLATE)
    @ConditionalOnMissingBean(name = EVENT_KAFKA_TEMPLATE)
    KafkaTemplate<byte[], byte[]> conversaEventKafkaTemplate(Environment environment,
            MessagingProperties properties) {
        Binder binder = Binder.get(environment);
        Bindable<Map<String, String>> map = Bindable.mapOf(String.class, String.class);
        Map<String, Object> config = new HashMap<>();
        // the binder's shared client settings (security …), then its producer settings, then ours
        binder.bind("spring.cloud.stream.kafka.binder.configuration", map).ifBound(config::putAll);
        binder.bind("spring.cloud.stream.kafka.binder.producer-properties", map).ifBound(config::putAll);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                environment.getProperty("spring.cloud.stream.kafka.binder.brokers", "localhost:9092"));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        DefaultKafkaProducerFactory<byte[], byte[]> factory = new DefaultKafkaProducerFactory<>(config);
        KafkaTemplate<byte[], byte[]> template = new KafkaTemplate<>(factory);
        template.setObservationEnabled(properties.publishAllObservations() && environment.getProperty(
                "spring.cloud.stream.kafka.binder.enable-observation", Boolean.class, false));
        return template;
    }

    @Bean
    @ConditionalOnMissingBean
    EventPublisher eventPublisher(StreamBridge bridge, CloudEventCodec codec, MessagingProperties properties,
            @Qualifier(EVENT_KAFKA_TEMPLATE) ObjectProvider<KafkaTemplate<byte[], byte[]>> templates) {
        return new EventPublisher(bridge, codec, properties, templates.getIfAvailable());
    }

    @Bean
    @ConditionalOnMissingBean
    SkippedSources skippedSources(MessagingProperties properties) {
        return new SkippedSources(properties.skippedSources(), properties.skippedSourcesPollRecords());
    }

    @Bean
    @ConditionalOnMissingBean
    ConsumerEndpointCustomizer<KafkaMessageDrivenChannelAdapter<?, ?>> skippedSourcesEndpointCustomizer(
            SkippedSources skippedSources) {
        return skippedSources.endpointCustomizer();
    }

    @Bean
    @ConditionalOnMissingBean
    ListenerContainerCustomizer<AbstractMessageListenerContainer<?, ?>> skippedSourcesContainerCustomizer(
            SkippedSources skippedSources) {
        return skippedSources.containerCustomizer();
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
