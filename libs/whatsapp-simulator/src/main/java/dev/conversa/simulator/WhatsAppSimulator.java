package dev.conversa.simulator;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The simulator embedded in a test or a benchmark: {@code WhatsAppSimulator.builder().start()} runs it on a random
 * loopback port with its own configuration ({@code whatsapp-simulator.yml}), isolated from the host's.
 */
public final class WhatsAppSimulator implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final int port;

    private WhatsAppSimulator(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code http://127.0.0.1:<port>}: Cloud API and control API. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** {@code ws://127.0.0.1:<port>/linked/v1}: the linked-device endpoint. */
    public URI linkedDeviceUrl() {
        return URI.create("ws://127.0.0.1:" + port + "/linked/v1");
    }

    public int port() {
        return port;
    }

    /** A bean of the running simulator, for tests that look inside (ground truth, registries). */
    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }

    public static final class Builder {

        private final Map<String, Object> properties = new LinkedHashMap<>();

        private Builder() {
            properties.put("server.port", 0);
            properties.put("server.address", "127.0.0.1");
        }

        /** Any {@code simulator.*} (or Spring) property, e.g. {@code simulator.receipts.read-after=50ms}. */
        public Builder property(String name, Object value) {
            properties.put(name, value);
            return this;
        }

        public Builder port(int port) {
            return property("server.port", port);
        }

        public WhatsAppSimulator start() {
            List<String> args = new ArrayList<>();
            args.add("--spring.config.name=whatsapp-simulator");
            properties.forEach((name, value) -> args.add("--" + name + "=" + value));
            ConfigurableApplicationContext context = new SpringApplicationBuilder(SimulatorApplication.class)
                    .web(WebApplicationType.REACTIVE)
                    .run(args.toArray(String[]::new));
            return new WhatsAppSimulator(context);
        }
    }
}
