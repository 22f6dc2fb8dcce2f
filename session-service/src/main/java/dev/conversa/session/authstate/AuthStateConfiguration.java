package dev.conversa.session.authstate;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class AuthStateConfiguration {

    @Bean
    AuthStateCipher authStateCipher(AuthStateProperties properties) {
        return new AuthStateCipher(properties);
    }
}
