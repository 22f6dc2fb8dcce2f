package dev.conversa.session.linked;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds {@code conversa.session.linked.*}; {@link LinkedDeviceClient} is a component of its own. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LinkedProperties.class)
class LinkedConfiguration {
}
