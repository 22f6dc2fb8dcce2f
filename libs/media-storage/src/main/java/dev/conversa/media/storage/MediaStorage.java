package dev.conversa.media.storage;

import org.springframework.core.io.buffer.DataBuffer;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where media files live: object storage keyed by {@link MediaKeys#of tenant and a random id}. Content always
 * flows as a stream of buffers, so no adapter holds a whole file in memory.
 */
public interface MediaStorage {

    /**
     * Stores {@code content} under {@code key}, replacing nothing: completes with the number of bytes written. If
     * {@code content} fails, nothing stays stored under the key and the error is passed on unchanged.
     */
    Mono<Long> put(String key, Flux<DataBuffer> content, String contentType);

    /** The stored bytes; fails with {@link MediaObjectNotFoundException} when nothing is stored under the key. */
    Flux<DataBuffer> get(String key);

    /** Removes the object; completes quietly when there is none. */
    Mono<Void> delete(String key);

    Mono<Boolean> exists(String key);
}
