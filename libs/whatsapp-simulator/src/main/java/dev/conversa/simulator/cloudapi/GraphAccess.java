package dev.conversa.simulator.cloudapi;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

/**
 * Bearer checks of the Graph endpoints: {@code Authorization: Bearer <token>} (or Graph's {@code access_token}
 * query parameter). A token no registered number takes answers 190; a good token on an id it cannot use answers 100,
 * as Meta does for objects outside a token's reach.
 */
@Component
class GraphAccess {

    private final CloudNumbers numbers;

    GraphAccess(CloudNumbers numbers) {
        this.numbers = numbers;
    }

    /** The number the request may act for. */
    RegisteredNumber number(String phoneNumberId, ServerHttpRequest request, String method) {
        String token = token(request);
        RegisteredNumber number = numbers.registered(phoneNumberId).orElse(null);
        if (number == null) {
            throw numbers.isKnownToken(token) ? GraphErrors.unknownObject(method, phoneNumberId)
                    : GraphErrors.invalidToken();
        }
        if (!number.acceptsToken(token)) {
            throw GraphErrors.invalidToken();
        }
        return number;
    }

    /** Checks that the token belongs to some registered number (media ids are not tied to one number). */
    void anyNumber(ServerHttpRequest request) {
        if (!numbers.isKnownToken(token(request))) {
            throw GraphErrors.invalidToken();
        }
    }

    static @Nullable String token(ServerHttpRequest request) {
        String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).strip();
            return token.isEmpty() ? null : token;
        }
        return request.getQueryParams().getFirst("access_token");
    }
}
