package dev.conversa.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository's root is: the {@code conversa.root} system property (set by the pom), else found upwards. */
final class Repo {

    private Repo() {
    }

    static Path root() {
        String property = System.getProperty("conversa.root");
        if (property != null) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("repository root not found from " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
