package dev.conversa.security;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/** Every Conversa token must name its tenant: a token without {@code tenant_id} is rejected (401). */
final class TenantClaimValidator implements OAuth2TokenValidator<Jwt> {

    private static final OAuth2Error MISSING_TENANT = new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
            "The token has no tenant_id claim", null);

    @Override
    public OAuth2TokenValidatorResult validate(Jwt jwt) {
        String tenant = jwt.getClaimAsString(ConversaJwt.TENANT_CLAIM);
        return tenant == null || tenant.isBlank()
                ? OAuth2TokenValidatorResult.failure(MISSING_TENANT)
                : OAuth2TokenValidatorResult.success();
    }
}
