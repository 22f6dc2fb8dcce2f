package dev.conversa.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

class TenantClaimValidatorTest {

    private final TenantClaimValidator validator = new TenantClaimValidator();

    @Test
    void rejectsTokenWithoutTenantClaim() {
        OAuth2TokenValidatorResult result = validator.validate(token().build());

        assertThat(result.hasErrors()).isTrue();
        assertThat(result.getErrors()).singleElement().satisfies(error -> {
            assertThat(error.getErrorCode()).isEqualTo(OAuth2ErrorCodes.INVALID_TOKEN);
            assertThat(error.getDescription()).contains("tenant_id");
        });
    }

    @Test
    void rejectsTokenWithBlankTenantClaim() {
        assertThat(validator.validate(token().claim("tenant_id", "").build()).hasErrors()).isTrue();
        assertThat(validator.validate(token().claim("tenant_id", "   ").build()).hasErrors()).isTrue();
    }

    @Test
    void acceptsTokenNamingItsTenant() {
        OAuth2TokenValidatorResult result = validator.validate(token().claim("tenant_id", "tenant-a").build());

        assertThat(result.hasErrors()).isFalse();
    }

    private static Jwt.Builder token() {
        return Jwt.withTokenValue("t").header("alg", "none").subject("user-1");
    }
}
