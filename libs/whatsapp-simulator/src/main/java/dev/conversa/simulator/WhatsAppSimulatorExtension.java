package dev.conversa.simulator;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * {@code @ExtendWith(WhatsAppSimulatorExtension.class)}: one simulator per test class, started before the first test
 * and stopped after the last; test methods and constructors may take a {@link WhatsAppSimulator} parameter.
 * For custom properties, register it with {@code @RegisterExtension} and {@link #withProperty}.
 */
public class WhatsAppSimulatorExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private final WhatsAppSimulator.Builder builder = WhatsAppSimulator.builder();
    private WhatsAppSimulator simulator;

    public WhatsAppSimulatorExtension withProperty(String name, Object value) {
        builder.property(name, value);
        return this;
    }

    public WhatsAppSimulator simulator() {
        return simulator;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        simulator = builder.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (simulator != null) {
            simulator.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == WhatsAppSimulator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return simulator;
    }
}
