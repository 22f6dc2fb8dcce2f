package dev.conversa.media.storage;

import java.nio.ByteBuffer;
import java.time.Duration;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Media files in an S3-compatible bucket (AWS S3, MinIO …) through the AWS SDK v2 asynchronous client. Uploads
 * stream with no known length: the client (built with multipart enabled by {@link S3Clients}) sends a small file
 * in one {@code PutObject} and a large one as a multipart upload, holding one part at a time, and aborts the
 * upload when the content fails. Every call has a timeout of its own on top of the client's socket timeouts.
 */
public class S3MediaStorage implements MediaStorage {

    private final S3AsyncClient s3;
    private final String bucket;
    private final Duration timeout;

    public S3MediaStorage(S3AsyncClient s3, String bucket, Duration timeout) {
        this.s3 = s3;
        this.bucket = bucket;
        this.timeout = timeout;
    }

    @Override
    public Mono<Long> put(String key, Flux<DataBuffer> content, String contentType) {
        MediaKeys.checked(key);
        long[] written = {0};
        Flux<ByteBuffer> bytes = content.map(buffer -> {
            try {
                ByteBuffer copy = ByteBuffer.allocate(buffer.readableByteCount());
                buffer.toByteBuffer(copy);
                written[0] += copy.remaining();
                return copy;
            } finally {
                DataBufferUtils.release(buffer);
            }
        });
        return Mono.fromFuture(() -> s3.putObject(
                        request -> request.bucket(bucket).key(key).contentType(contentType),
                        AsyncRequestBody.fromPublisher(bytes)), true)
                .timeout(timeout)
                .map(response -> written[0]);
    }

    @Override
    public Flux<DataBuffer> get(String key) {
        MediaKeys.checked(key);
        return Mono.fromFuture(() -> s3.getObject(request -> request.bucket(bucket).key(key),
                        AsyncResponseTransformer.toPublisher()), true)
                .timeout(timeout)
                .onErrorMap(S3MediaStorage::notFound, e -> new MediaObjectNotFoundException(key))
                .flatMapMany(publisher -> Flux.from(publisher)
                        .map(bytes -> (DataBuffer) DefaultDataBufferFactory.sharedInstance.wrap(bytes)));
    }

    @Override
    public Mono<Void> delete(String key) {
        MediaKeys.checked(key);
        return Mono.fromFuture(() -> s3.deleteObject(request -> request.bucket(bucket).key(key)), true)
                .timeout(timeout)
                .onErrorResume(S3MediaStorage::notFound, e -> Mono.empty())
                .then();
    }

    @Override
    public Mono<Boolean> exists(String key) {
        MediaKeys.checked(key);
        return Mono.fromFuture(() -> s3.headObject(request -> request.bucket(bucket).key(key)), true)
                .timeout(timeout)
                .map(response -> true)
                .onErrorResume(S3MediaStorage::notFound, e -> Mono.just(false));
    }

    private static boolean notFound(Throwable error) {
        return error instanceof NoSuchKeyException
                || error instanceof S3Exception s3 && s3.statusCode() == 404;
    }
}
