package dev.conversa.session.media;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import dev.conversa.media.storage.MediaStorage;
import dev.conversa.session.cloudapi.CloudApiProperties;
import dev.conversa.session.linked.LinkedProperties;
import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;

/** Inbound media: its own HTTP client (connect and response timeouts of the Cloud API settings). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(InboundMediaProperties.class)
class InboundMediaConfiguration {

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
