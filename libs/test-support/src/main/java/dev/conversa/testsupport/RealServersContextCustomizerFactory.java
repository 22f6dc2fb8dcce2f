package dev.conversa.testsupport;

import java.util.List;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/** Points every {@link ConversaIntegrationTest} at its real servers and registers {@link RealServers} as a bean. */
public final class RealServersContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        boolean annotated = MergedAnnotations.from(testClass, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY)
                .isPresent(ConversaIntegrationTest.class);
        return annotated ? new RealServersCustomizer(testClass.getName()) : null;
    }

    /** Equal per test class (record equality on the owner): each class gets its own database and context. */
    private record RealServersCustomizer(String owner) implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            RealServers servers = RealServers.forOwner(owner);
            context.getEnvironment().getPropertySources()
                    .addFirst(new MapPropertySource("conversaRealServers", servers.properties()));
            context.getBeanFactory().registerSingleton("realServers", servers);
        }
    }
}
