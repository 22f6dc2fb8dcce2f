package dev.conversa.gateway.hardening;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.conversa.web.problem.ProblemResponses;

/** Request ids, security headers and body-size limits, in front of everything else. */
@Configuration(proxyBeanMethods = false)
class HardeningConfiguration {

    @Bean
    RequestIdFilter requestIdFilter() {
        return new RequestIdFilter();
    }

    @Bean
    SecurityHeadersFilter securityHeadersFilter(SecurityHeadersProperties properties) {
        return new SecurityHeadersFilter(properties);
    }

    @Bean
    RequestSizeLimitFilter requestSizeLimitFilter(RequestSizeProperties properties, ProblemResponses responses) {
        return new RequestSizeLimitFilter(properties, responses);
    }
}
