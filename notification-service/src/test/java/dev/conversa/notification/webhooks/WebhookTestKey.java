package dev.conversa.notification.webhooks;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Gives every test context of this module a random webhook secret key ({@code WEBHOOK_SECRET_KEY}, which
 * {@code conversa.notification.webhooks.secret-key} reads), as the lowest precedence source, so a test that sets its
 * own still wins and nothing secret is in the repository. (Belongs in
 * libs/test-support's {@code RealServers}, next to the auth-state key, once libs can change.)
 */
public final class WebhookTestKey implements ContextCustomizerFactory {

    private static final String KEY = randomKey();

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        return new Customizer();
    }

    static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** All equal, so contexts are still cached as before. */
    private record Customizer() implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            context.getEnvironment().getPropertySources().addLast(new MapPropertySource("webhookTestKey",
                    Map.of("WEBHOOK_SECRET_KEY", KEY)));
        }
    }
}
