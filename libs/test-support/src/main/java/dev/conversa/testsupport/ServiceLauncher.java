package dev.conversa.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts a Conversa service whole inside the test JVM, next to others: each reads its own {@code application.yml}
 * (taken from its own jar or classes folder, since several services on one classpath shadow each other's), on a
 * random port, with the given properties on top.
 */
public final class ServiceLauncher {

    private ServiceLauncher() {
    }

    public static ConfigurableApplicationContext start(Class<?> application, Map<String, Object> properties) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("spring.config.location", "file:" + ownConfiguration(application));
        arguments.put("server.port", 0);
        arguments.put("spring.profiles.active", "test");
        arguments.putAll(properties);
        List<String> args = new ArrayList<>();
        arguments.forEach((key, value) -> args.add("--" + key + "=" + value));
        return SpringApplication.run(application, args.toArray(String[]::new));
    }

    /** The port a started service listens on. */
    public static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    }

    private static Path ownConfiguration(Class<?> application) {
        try {
            URL location = application.getProtectionDomain().getCodeSource().getLocation();
            URI config = location.getPath().endsWith(".jar")
                    ? URI.create("jar:" + location + "!/application.yml")
                    : location.toURI().resolve("application.yml");
            Path copy = Files.createTempFile(application.getSimpleName(), ".yml");
            copy.toFile().deleteOnExit();
            try (InputStream in = config.toURL().openStream()) {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            return copy;
        }
        catch (IOException | java.net.URISyntaxException e) {
            throw new UncheckedIOException(new IOException("Cannot read application.yml of " + application, e));
        }
    }
}
