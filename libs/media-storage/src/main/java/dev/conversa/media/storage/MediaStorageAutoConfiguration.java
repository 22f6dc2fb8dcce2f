package dev.conversa.media.storage;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The {@link MediaStorage} of a service, chosen by {@code conversa.media.storage.type}: the filesystem adapter by
 * default, the S3 adapter with {@code s3}. A service that declares its own {@code MediaStorage} keeps it.
 */
@AutoConfiguration
@EnableConfigurationProperties(MediaStorageProperties.class)
public class MediaStorageAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    MediaStorage mediaStorage(MediaStorageProperties properties) {
        return switch (properties.type()) {
            case FILESYSTEM -> new FileSystemMediaStorage(properties.filesystem().root());
            case S3 -> {
                S3AsyncClient client = S3Clients.create(properties.s3());
                yield new ClosingS3MediaStorage(client, properties.s3());
            }
        };
    }

    /** Closes its client with the context. */
    static final class ClosingS3MediaStorage extends S3MediaStorage implements AutoCloseable {

        private final S3AsyncClient client;

        ClosingS3MediaStorage(S3AsyncClient client, MediaStorageProperties.S3 s3) {
            super(client, s3.bucket(), s3.callTimeout());
            this.client = client;
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
