package dev.conversa.media.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Media files in a local directory (the local stack's default): {@code <root>/<tenant>/<id>}. A file is written
 * under a temporary name through an asynchronous channel and moved into place when complete, so a reader never
 * sees half a file and a failed upload leaves nothing behind. Filesystem calls that block run on boundedElastic.
 */
public class FileSystemMediaStorage implements MediaStorage {

    private static final int READ_BUFFER = 64 * 1024;

    private final Path root;

    public FileSystemMediaStorage(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public Mono<Long> put(String key, Flux<DataBuffer> content, String contentType) {
        Path target = resolve(key);
        return Mono.fromCallable(() -> {
            Files.createDirectories(target.getParent());
            return target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".part");
        }).subscribeOn(Schedulers.boundedElastic()).flatMap(partial -> {
            long[] written = {0};
            Flux<DataBuffer> counted = content.doOnNext(buffer -> written[0] += buffer.readableByteCount());
            return DataBufferUtils.write(counted, partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)
                    .then(Mono.fromCallable(() -> {
                        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE,
                                StandardCopyOption.REPLACE_EXISTING);
                        return written[0];
                    }).subscribeOn(Schedulers.boundedElastic()))
                    .onErrorResume(error -> deleteQuietly(partial).then(Mono.error(error)))
                    .doOnCancel(() -> deleteQuietly(partial).subscribe());
        });
    }

    @Override
    public Flux<DataBuffer> get(String key) {
        Path file = resolve(key);
        return Mono.fromCallable(() -> Files.isRegularFile(file))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMapMany(found -> found
                        ? DataBufferUtils.read(file, DefaultDataBufferFactory.sharedInstance, READ_BUFFER)
                        : Flux.error(new MediaObjectNotFoundException(key)))
                .onErrorMap(NoSuchFileException.class, e -> new MediaObjectNotFoundException(key));
    }

    @Override
    public Mono<Void> delete(String key) {
        return deleteQuietly(resolve(key));
    }

    @Override
    public Mono<Boolean> exists(String key) {
        Path file = resolve(key);
        return Mono.fromCallable(() -> Files.isRegularFile(file)).subscribeOn(Schedulers.boundedElastic());
    }

    private Path resolve(String key) {
        Path file = root.resolve(MediaKeys.checked(key)).normalize();
        if (!file.startsWith(root)) {
            throw new IllegalArgumentException("Not a media key: " + key);
        }
        return file;
    }

    private static Mono<Void> deleteQuietly(Path file) {
        return Mono.<Void>fromRunnable(() -> {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }
}
