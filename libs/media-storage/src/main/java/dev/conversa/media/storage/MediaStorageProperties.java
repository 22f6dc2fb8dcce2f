package dev.conversa.media.storage;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/**
 * {@code conversa.media.storage.*}: which adapter stores media files and how it reaches its store.
 *
 * @param type       {@code filesystem} (default, the local stack) or {@code s3}
 * @param filesystem the directory of the filesystem adapter
 * @param s3         the bucket and endpoint of the S3 adapter
 */
@Validated
@ConfigurationProperties("conversa.media.storage")
public record MediaStorageProperties(
        @DefaultValue("filesystem") @NotNull Type type,
        @DefaultValue @Valid Filesystem filesystem,
        @DefaultValue @Valid S3 s3) {

    public enum Type {
        FILESYSTEM, S3
    }

    /** @param root where files go ({@code <java.io.tmpdir>/conversa/media} when not set); every service that reads
     *             media must see the same directory */
    public record Filesystem(@Nullable Path root) {

        public Filesystem {
            if (root == null) {
                root = Path.of(System.getProperty("java.io.tmpdir"), "conversa", "media");
            }
        }
    }

    /**
     * @param bucket         the bucket (must exist)
     * @param endpoint       an S3-compatible endpoint (MinIO …); empty for AWS
     * @param region         the region (MinIO accepts any)
     * @param accessKey      static credentials; empty to let the SDK find them (IAM role, environment …)
     * @param secretKey      static credentials
     * @param pathStyle      path-style URLs ({@code endpoint/bucket/key}), what MinIO and most S3-compatible servers
     *                       want
     * @param partSize       the multipart part size and threshold: the most an upload holds in memory
     * @param connectTimeout TCP connect timeout
     * @param idleTimeout    longest a socket may wait for the next bytes
     * @param callTimeout    longest a whole call (a 100 MB upload included) may take
     * @param maxConnections connections to the endpoint
     */
    public record S3(
            @DefaultValue("conversa-media") String bucket,
            @Nullable String endpoint,
            @DefaultValue("us-east-1") String region,
            @Nullable String accessKey,
            @Nullable String secretKey,
            @DefaultValue("true") boolean pathStyle,
            @DefaultValue("8MB") DataSize partSize,
            @DefaultValue("5s") Duration connectTimeout,
            @DefaultValue("30s") Duration idleTimeout,
            @DefaultValue("10m") Duration callTimeout,
            @DefaultValue("50") int maxConnections) {
    }
}
