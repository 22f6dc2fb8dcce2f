package dev.conversa.session.media;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import dev.conversa.media.storage.MediaStorage;
import dev.conversa.session.cloudapi.CloudApiProperties;
import dev.conversa.session.linked.LinkedProperties;
import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;

/**
 * Media in both directions: inbound downloads (their own HTTP client, with the connect and response timeouts of the
 * Cloud API settings) and the uploads of stored files that outbound media messages need.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({InboundMediaProperties.class, MediaUploadProperties.class})
class MediaConfiguration {

    @Bean
    OutboundMediaUploads outboundMediaUploads(MediaStorage storage, ReactiveStringRedisTemplate redis,
            MediaUploadProperties properties) {
        return new OutboundMediaUploads(storage, redis, properties);
    }

    @Bean
    InboundMedia inboundMedia(CloudApiProperties cloudApi, LinkedProperties linked,
            MediaStorage storage, InboundMediaProperties properties) {
        HttpClient client = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) cloudApi.connectTimeout().toMillis())
                .responseTimeout(cloudApi.responseTimeout());
        WebClient http = WebClient.builder().clientConnector(new ReactorClientHttpConnector(client)).build();
        return new InboundMedia(new MediaDownloads(http, cloudApi, linked), storage, properties);
    }
}
