package dev.conversa.media.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

class FileSystemMediaStorageTest extends MediaStorageContract {

    @TempDir
    Path root;

    @Override
    MediaStorage storage() {
        return new FileSystemMediaStorage(root);
    }

    @Test
    void filesLiveUnderTheirTenantsDirectoryAndNoPartialFileStays() throws IOException {
        UUID id = UUID.randomUUID();
        storage().put(MediaKeys.of("tenant-a", id), chunks(randomBytes(10), 3), "text/plain").block(WAIT);
        storage().put(MediaKeys.of("tenant-a", UUID.randomUUID()),
                chunks(randomBytes(10), 3).concatWith(Mono.error(new IllegalStateException())), "text/plain")
                .onErrorResume(e -> Mono.empty()).block(WAIT);

        try (Stream<Path> files = Files.list(root.resolve("tenant-a"))) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactly(id.toString());
        }
    }

    @Test
    void aTenantIdWithPathCharactersStaysInsideItsOwnDirectory() {
        String key = MediaKeys.of("../other", UUID.randomUUID());

        storage().put(key, Flux.empty(), "text/plain").block(WAIT);

        assertThat(key).startsWith("x-2e2e2f");
        assertThat(Files.isDirectory(root.resolve(key.substring(0, key.indexOf('/'))))).isTrue();
    }
}
