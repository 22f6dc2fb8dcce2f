package dev.conversa.session.qr;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class QrConfiguration {

    @Bean
    QrImages qrImages(QrProperties properties) {
        return new QrImages(properties.imageSize());
    }
}
