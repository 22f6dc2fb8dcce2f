package dev.conversa.media.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** What every {@link MediaStorage} adapter does; each adapter's test runs it against its real store. */
abstract class MediaStorageContract {

    static final Duration WAIT = Duration.ofSeconds(30);

    abstract MediaStorage storage();

    @Test
    void storedBytesComeBackUnchanged() {
        String key = MediaKeys.of("tenant-a", UUID.randomUUID());
        byte[] file = randomBytes(200_000);

        StepVerifier.create(storage().put(key, chunks(file, 8192), "image/jpeg"))
                .expectNext((long) file.length).verifyComplete();

        assertThat(read(key)).isEqualTo(file);
        assertThat(storage().exists(key).block(WAIT)).isTrue();
    }

    @Test
    void aFileLargerThanOnePartIsStoredWhole() {
        String key = MediaKeys.of("tenant-a", UUID.randomUUID());
        byte[] file = randomBytes(largeFileSize());

        StepVerifier.create(storage().put(key, chunks(file, 64 * 1024), "video/mp4"))
                .expectNext((long) file.length).expectComplete().verify(WAIT);

        assertThat(read(key)).isEqualTo(file);
    }

    @Test
    void anEmptyFileIsStored() {
        String key = MediaKeys.of("tenant-a", UUID.randomUUID());

        StepVerifier.create(storage().put(key, Flux.empty(), "text/plain")).expectNext(0L).verifyComplete();

        assertThat(read(key)).isEmpty();
    }

    @Test
    void contentThatFailsMidwayLeavesNothingStored() {
        String key = MediaKeys.of("tenant-a", UUID.randomUUID());
        Flux<DataBuffer> failing = chunks(randomBytes(100_000), 8192)
                .concatWith(Mono.error(new IllegalStateException("client went away")));

        StepVerifier.create(storage().put(key, failing, "image/png"))
                .expectErrorMatches(error -> error instanceof IllegalStateException
                        || error.getCause() instanceof IllegalStateException)
                .verify(WAIT);

        assertThat(storage().exists(key).block(WAIT)).isFalse();
    }

    @Test
    void deletedObjectsAreGoneAndDeletingTwiceIsQuiet() {
        String key = MediaKeys.of("tenant-b", UUID.randomUUID());
        storage().put(key, chunks(randomBytes(1000), 100), "application/pdf").block(WAIT);

        StepVerifier.create(storage().delete(key)).verifyComplete();
        StepVerifier.create(storage().delete(key)).verifyComplete();

        assertThat(storage().exists(key).block(WAIT)).isFalse();
    }

    @Test
    void readingAMissingObjectFailsWithNotFound() {
        String key = MediaKeys.of("tenant-a", UUID.randomUUID());

        StepVerifier.create(storage().get(key)).expectError(MediaObjectNotFoundException.class).verify(WAIT);
    }

    @Test
    void keysNotMadeByMediaKeysAreRefused() {
        assertThatThrownBy(() -> storage().get("../../etc/passwd").blockLast(WAIT))
                .isInstanceOf(IllegalArgumentException.class);
    }

    int largeFileSize() {
        return 3 * 1024 * 1024;
    }

    byte[] read(String key) {
        return DataBufferUtils.join(storage().get(key))
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0])
                .block(WAIT);
    }

    static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    static Flux<DataBuffer> chunks(byte[] file, int chunkSize) {
        return Flux.range(0, (file.length + chunkSize - 1) / chunkSize)
                .map(i -> {
                    int from = i * chunkSize;
                    int length = Math.min(chunkSize, file.length - from);
                    DataBuffer buffer = DefaultDataBufferFactory.sharedInstance.allocateBuffer(length);
                    buffer.write(file, from, length);
                    return buffer;
                });
    }
}
