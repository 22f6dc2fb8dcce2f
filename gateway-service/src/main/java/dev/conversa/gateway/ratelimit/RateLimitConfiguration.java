package dev.conversa.gateway.ratelimit;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import dev.conversa.web.problem.ProblemResponses;

@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

    @Bean
    RedisRateLimiter conversaRedisRateLimiter(ReactiveStringRedisTemplate redis) {
        return new RedisRateLimiter(redis);
    }

    @Bean
    RateLimitFilter rateLimitFilter(RateLimitProperties properties, RedisRateLimiter limiter,
            ProblemResponses responses) {
        return new RateLimitFilter(properties, limiter, responses);
    }
}
