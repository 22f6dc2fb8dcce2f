package dev.conversa.media.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import reactor.test.StepVerifier;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** The S3 adapter against a real S3-API server (S3Mock, a separate process): no hand-written fake. */
class S3MediaStorageIntegrationTest extends MediaStorageContract {

    private static S3AsyncClient client;
    private static S3MediaStorage storage;

    @BeforeAll
    static void connect() {
        Assumptions.assumeTrue(S3MockServer.java25().isPresent(),
                "S3Mock 5 (Spring Boot 4.1) needs a Java 25 runtime; none on this machine");
        S3MockServer server = S3MockServer.get();
        MediaStorageProperties.S3 s3 = new MediaStorageProperties.S3(S3MockServer.BUCKET, server.endpoint(),
                "us-east-1", "test-access-key", "test-secret-key", true, DataSize.ofMegabytes(5),
                Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2), 10);
        client = S3Clients.create(s3);
        storage = new S3MediaStorage(client, s3.bucket(), s3.callTimeout());
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.close();
        }
    }

    @Override
    MediaStorage storage() {
        return storage;
    }

    @Override
    int largeFileSize() {
        // over two 5 MB parts: a multipart upload of three parts
        return 11 * 1024 * 1024 + 17;
    }

    @Test
    void objectsCarryTheirContentTypeInTheBucket() {
        String key = MediaKeys.of("tenant-s3", UUID.randomUUID());
        storage.put(key, chunks(randomBytes(4096), 1024), "audio/ogg").block(WAIT);

        StepVerifier.create(reactor.core.publisher.Mono.fromFuture(
                        client.headObject(request -> request.bucket(S3MockServer.BUCKET).key(key))))
                .assertNext(head -> {
                    assertThat(head.contentType()).isEqualTo("audio/ogg");
                    assertThat(head.contentLength()).isEqualTo(4096L);
                })
                .verifyComplete();
    }
}
