package dev.conversa.session.cloudapi;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** The Cloud API sending adapter: {@link CloudApiProperties}; {@link CloudApiConnector} is a component. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CloudApiProperties.class)
class CloudApiConfiguration {
}
