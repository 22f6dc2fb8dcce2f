package dev.conversa.session.reconnect;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ReconnectConfiguration {

    @Bean
    ReconnectPolicy reconnectPolicy(ReconnectProperties properties) {
        return new ReconnectPolicy(properties);
    }
}
