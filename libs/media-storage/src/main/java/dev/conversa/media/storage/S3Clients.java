package dev.conversa.media.storage;

import java.net.URI;

import org.springframework.util.StringUtils;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** Builds the asynchronous S3 client from {@link MediaStorageProperties.S3}. */
public final class S3Clients {

    private S3Clients() {
    }

    public static S3AsyncClient create(MediaStorageProperties.S3 s3) {
        var builder = S3AsyncClient.builder()
                .region(Region.of(s3.region()))
                .credentialsProvider(credentials(s3))
                .forcePathStyle(s3.pathStyle())
                // S3-compatible servers (MinIO, older gateways) do not all take the newer default checksums
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // streams of unknown length: one PutObject when small, a multipart upload part by part when large
                .multipartEnabled(true)
                .multipartConfiguration(multipart -> multipart
                        .minimumPartSizeInBytes(s3.partSize().toBytes())
                        .thresholdInBytes(s3.partSize().toBytes()))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .connectionTimeout(s3.connectTimeout())
                        .readTimeout(s3.idleTimeout())
                        .writeTimeout(s3.idleTimeout())
                        .maxConcurrency(s3.maxConnections()))
                .overrideConfiguration(override -> override.apiCallTimeout(s3.callTimeout()));
        if (StringUtils.hasText(s3.endpoint())) {
            builder.endpointOverride(URI.create(s3.endpoint()));
        }
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(MediaStorageProperties.S3 s3) {
        if (StringUtils.hasText(s3.accessKey()) && StringUtils.hasText(s3.secretKey())) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()));
        }
        // IAM role, environment, profile … as the SDK finds them
        return DefaultCredentialsProvider.builder().build();
    }
}
