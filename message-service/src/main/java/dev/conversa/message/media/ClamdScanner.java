package dev.conversa.message.media;

import java.nio.charset.StandardCharsets;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.tcp.TcpClient;

/**
 * Streams a file to clamd over TCP ({@link ClamdProtocol}) and reads its verdict: one connection per scan, the
 * file in chunks of at most {@code chunk-size}, the whole scan bounded by {@code timeout}.
 */
final class ClamdScanner {

    private final MediaProperties.Clamd clamd;

    ClamdScanner(MediaProperties.Clamd clamd) {
        this.clamd = clamd;
    }

    Mono<ClamdProtocol.Outcome> scan(Flux<DataBuffer> content) {
        int chunkSize = (int) clamd.chunkSize().toBytes();
        Flux<ByteBuf> frames = Flux.concat(
                Mono.fromSupplier(() -> Unpooled.wrappedBuffer(ClamdProtocol.COMMAND)),
                content.concatMap(buffer -> Flux.fromIterable(chunks(buffer, chunkSize))),
                Mono.fromSupplier(() -> Unpooled.wrappedBuffer(ClamdProtocol.END)));
        return TcpClient.create()
                .host(clamd.host())
                .port(clamd.port())
                .connect()
                .flatMap(connection -> connection.outbound().send(frames).then()
                        .then(connection.inbound().receive().aggregate().asString(StandardCharsets.US_ASCII)
                                .defaultIfEmpty(""))
                        .doFinally(signal -> connection.dispose()))
                .map(ClamdProtocol::parse)
                .timeout(clamd.timeout());
    }

    private static java.util.List<ByteBuf> chunks(DataBuffer buffer, int chunkSize) {
        try {
            java.util.List<ByteBuf> frames = new java.util.ArrayList<>();
            while (buffer.readableByteCount() > 0) {
                int length = Math.min(chunkSize, buffer.readableByteCount());
                byte[] bytes = new byte[length];
                buffer.read(bytes);
                frames.add(Unpooled.wrappedBuffer(ClamdProtocol.lengthPrefix(length), bytes));
            }
            return frames;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }
}
