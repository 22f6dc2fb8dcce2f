package dev.conversa.notification.webhooks;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/** The webhook feature's infrastructure: secret encryption (fails startup without a valid key), SSRF guard, client. */
@Configuration(proxyBeanMethods = false)
class WebhookConfiguration {

    @Bean
    SecretCipher webhookSecretCipher(WebhookProperties properties) {
        return new SecretCipher(properties.secretKey(), properties.previousSecretKeys());
    }

    @Bean
    TargetGuard webhookTargetGuard(WebhookProperties properties) {
        return new TargetGuard(properties.allowPrivateTargets());
    }

    @Bean
    WebhookClient webhookClient(WebhookProperties properties, TargetGuard guard) {
        return new WebhookClient(WebClient.builder(), properties, guard);
    }
}
