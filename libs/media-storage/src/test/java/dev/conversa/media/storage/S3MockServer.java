package dev.conversa.media.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A real S3-API server for the tests: Adobe's S3Mock (Maven Central {@code com.adobe.testing:s3mock}, its runnable
 * {@code exec} jar copied to {@code target/s3mock} by the build) started as a separate process on a free port,
 * once per JVM. S3Mock 5 is a Spring Boot 4.1 / Java 25 application, so it runs on the JDK that runs the tests
 * but never on their classpath. Stopped when the JVM exits.
 */
final class S3MockServer {

    static final String BUCKET = "conversa-media-test";
    private static final Duration STARTUP = Duration.ofSeconds(90);

    private static S3MockServer instance;

    private final Process process;
    private final int port;

    private S3MockServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static synchronized S3MockServer get() {
        if (instance == null) {
            instance = start();
            Runtime.getRuntime().addShutdownHook(new Thread(instance.process::destroy));
        }
        return instance;
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    private static S3MockServer start() {
        Path jar = Path.of("target", "s3mock", "s3mock.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the build copies it in generate-test-resources");
        }
        try {
            int port = freePort();
            Path root = Files.createTempDirectory("s3mock");
            Path log = Files.createTempFile("s3mock", ".log");
            String java = java25().orElseThrow(() -> new IllegalStateException(
                    "S3Mock 5 needs a Java 25 runtime: none found (this JVM, /usr/lib/jvm/*)"));
            Process process = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                    "-jar", jar.toString(),
                    "--server.port=0",
                    "--http.port=" + port,
                    "--com.adobe.testing.s3mock.store.root=" + root,
                    "--com.adobe.testing.s3mock.store.initial-buckets=" + BUCKET,
                    "--com.adobe.testing.s3mock.max-payload-size=64MB",
                    "--logging.level.root=WARN"))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            awaitUp(process, port, log);
            return new S3MockServer(process, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitUp(Process process, int port, Path log) throws IOException {
        Instant deadline = Instant.now().plus(STARTUP);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Mock exited: " + Files.readString(log));
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) URI
                        .create("http://127.0.0.1:" + port + "/" + BUCKET).toURL().openConnection();
                connection.setConnectTimeout(500);
                connection.setReadTimeout(2000);
                if (connection.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("S3Mock did not start within " + STARTUP + ": " + Files.readString(log));
    }

    /** This JVM when it is Java 25 or newer, else a JDK 25+ under /usr/lib/jvm. */
    static java.util.Optional<String> java25() {
        if (Runtime.version().feature() >= 25) {
            return ProcessHandle.current().info().command();
        }
        try (var jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            return jdks.filter(jdk -> jdk.getFileName().toString().matches(".*-(2[5-9]|[3-9][0-9])(-.*)?"))
                    .map(jdk -> jdk.resolve("bin/java"))
                    .filter(Files::isExecutable)
                    .map(Path::toString)
                    .findFirst();
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
