package dev.conversa.message.media;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import reactor.core.publisher.Flux;

/**
 * An upload's bytes on their way to storage, inspected as they pass: the first {@value MediaTypeRules#HEAD_SIZE}
 * bytes are held back until {@link MediaTypeRules} has judged them, then every buffer goes straight through while
 * its size is counted against the limit of the detected kind and its bytes go into a SHA-256. A file that breaks a
 * rule fails the stream at once (the storage adapter then keeps nothing), so at most the head and one buffer are in
 * memory. One instance per upload; read {@link #verdict()}, {@link #size()} and {@link #sha256()} after the stream
 * completed.
 */
final class InspectedContent {

    private final MediaTypeRules rules;
    private final MediaProperties.Limits limits;
    private final @Nullable String filename;
    private final @Nullable String declaredType;
    private final MessageDigest digest;
    private final long absoluteLimit;

    private @Nullable ByteArrayOutputStream head = new ByteArrayOutputStream(MediaTypeRules.HEAD_SIZE);
    private MediaTypeRules.@Nullable Verdict verdict;
    private long limit;
    private long size;

    InspectedContent(MediaTypeRules rules, MediaProperties.Limits limits, @Nullable String filename,
            @Nullable String declaredType) {
        this.rules = rules;
        this.limits = limits;
        this.filename = filename;
        this.declaredType = declaredType;
        this.absoluteLimit = limits.largest().toBytes();
        this.limit = absoluteLimit;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Flux<DataBuffer> inspect(Flux<DataBuffer> content) {
        return content.concatMap(this::pass).concatWith(Flux.defer(this::finish));
    }

    private Flux<DataBuffer> pass(DataBuffer buffer) {
        size += buffer.readableByteCount();
        if (size > limit) {
            DataBufferUtils.release(buffer);
            return Flux.error(verdict == null ? MediaRejectedException.tooLarge(absoluteLimit)
                    : MediaRejectedException.tooLarge(verdict.kind(), limit));
        }
        try (DataBuffer.ByteBufferIterator buffers = buffer.readableByteBuffers()) {
            while (buffers.hasNext()) {
                digest.update(buffers.next());
            }
        }
        if (head == null) {
            return Flux.just(buffer);
        }
        byte[] bytes = new byte[buffer.readableByteCount()];
        buffer.read(bytes);
        DataBufferUtils.release(buffer);
        head.writeBytes(bytes);
        return head.size() >= MediaTypeRules.HEAD_SIZE ? decide() : Flux.empty();
    }

    private Flux<DataBuffer> finish() {
        if (head == null) {
            return Flux.empty();
        }
        if (head.size() == 0) {
            return Flux.error(MediaRejectedException.unsupported("application/x-empty", "The file is empty"));
        }
        return decide();
    }

    private Flux<DataBuffer> decide() {
        byte[] bytes = head.toByteArray();
        head = null;
        MediaTypeRules.Verdict judged = rules.judge(bytes, filename, declaredType);
        verdict = judged;
        limit = limits.of(judged.kind()).toBytes();
        if (size > limit) {
            return Flux.error(MediaRejectedException.tooLarge(judged.kind(), limit));
        }
        return Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(bytes));
    }

    MediaTypeRules.Verdict verdict() {
        if (verdict == null) {
            throw new IllegalStateException("Not inspected yet");
        }
        return verdict;
    }

    long size() {
        return size;
    }

    String sha256() {
        return HexFormat.of().formatHex(digest.digest());
    }
}
