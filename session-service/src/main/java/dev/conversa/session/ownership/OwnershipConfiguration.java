package dev.conversa.session.ownership;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * Session ownership: the Redis leases and the {@code wa.commands} partition tracking, which the Kafka binder uses as
 * its rebalance listener (it takes the one {@code KafkaBindingRebalanceListener} bean of the context).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OwnershipProperties.class)
class OwnershipConfiguration {

    @Bean
    SessionLeases sessionLeases(ReactiveStringRedisTemplate redis, OwnershipProperties properties) {
        return new SessionLeases(redis, properties);
    }

    @Bean
    CommandPartitionOwnership commandPartitionOwnership(OwnershipProperties properties,
            ObjectProvider<OwnershipListener> listener) {
        return new CommandPartitionOwnership(properties, listener);
    }
}
