package dev.conversa.session.pacing;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Send pacing: {@link PacingProperties}; {@link SendPacer} and {@link DuplicateContentGuard} are components. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PacingProperties.class)
class PacingConfiguration {
}
