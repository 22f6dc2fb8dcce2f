package dev.conversa.simulator.linked;

import java.util.Map;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;

/** Maps the linked-device endpoint; WebFlux's configuration supplies the WebSocket handler adapter. */
@Configuration(proxyBeanMethods = false)
class LinkedWebSocketConfiguration {

    static final String PATH = "/linked/v1";

    @Bean
    HandlerMapping linkedDeviceHandlerMapping(LinkedDeviceHandler handler) {
        return new SimpleUrlHandlerMapping(Map.of(PATH, handler), -1);
    }
}
