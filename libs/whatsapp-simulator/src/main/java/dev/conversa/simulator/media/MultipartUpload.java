package dev.conversa.simulator.media;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.http.codec.multipart.FormFieldPart;
import org.springframework.http.codec.multipart.Part;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * A multipart upload read into memory: the {@code file} part (bytes, its content type and file name) and the plain
 * form fields beside it ({@code messaging_product}, {@code type} …).
 *
 * @param contentType the file part's {@code Content-Type}, null when absent or {@code application/octet-stream}
 */
public record MultipartUpload(byte[] bytes, @Nullable String contentType, @Nullable String filename,
        Map<String, String> fields) {

    public static final String FILE = "file";

    /**
     * Reads the request's multipart body; fails with {@link MediaRejectedException} when there is no {@code file}
     * part or it is larger than {@code maxBytes}.
     */
    public static Mono<MultipartUpload> read(ServerWebExchange exchange, long maxBytes) {
        return exchange.getMultipartData().flatMap(parts -> read(parts, maxBytes));
    }

    /** {@code type} field, else the file part's content type. */
    public @Nullable String mimeType() {
        return contentType != null ? contentType : fields.get("type");
    }

    public @Nullable String field(String name) {
        return fields.get(name);
    }

    private static Mono<MultipartUpload> read(MultiValueMap<String, Part> parts, long maxBytes) {
        Map<String, String> fields = new LinkedHashMap<>();
        parts.forEach((name, values) -> values.stream()
                .filter(FormFieldPart.class::isInstance)
                .findFirst()
                .ifPresent(part -> fields.put(name, ((FormFieldPart) part).value())));
        Part file = parts.getFirst(FILE);
        if (file == null || file instanceof FormFieldPart) {
            return Mono.error(new MediaRejectedException(MediaRejectedException.Reason.MISSING_FILE,
                    "The parameter file is required."));
        }
        MediaType type = file.headers().getContentType();
        String contentType = type == null || MediaType.APPLICATION_OCTET_STREAM.equalsTypeAndSubtype(type) ? null
                : type.toString();
        String filename = file instanceof FilePart filePart && !filePart.filename().isBlank() ? filePart.filename()
                : null;
        int limit = (int) Math.min(Integer.MAX_VALUE - 8, maxBytes);
        return DataBufferUtils.join(file.content(), limit)
                .map(MultipartUpload::bytesOf)
                .defaultIfEmpty(new byte[0])
                .onErrorMap(DataBufferLimitException.class, e -> new MediaRejectedException(
                        MediaRejectedException.Reason.TOO_LARGE, "File is larger than " + maxBytes + " bytes"))
                .map(bytes -> new MultipartUpload(bytes, contentType, filename, Map.copyOf(fields)));
    }

    private static byte[] bytesOf(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        }
        finally {
            DataBufferUtils.release(buffer);
        }
    }
}
