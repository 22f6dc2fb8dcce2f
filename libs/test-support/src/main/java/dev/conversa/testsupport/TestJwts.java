package dev.conversa.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for the Keycloak realm's signing side: one RSA key pair per JVM, its JWKS served over HTTP on a random
 * loopback port, and tokens shaped like Keycloak's ({@code sub}, {@code tenant_id}, {@code realm_access.roles},
 * {@code iss} = {@link #issuer()}). Services verify them exactly as they verify Keycloak's: through the JWKS URI.
 */
public final class TestJwts {

    private static volatile TestJwts instance;

    private final RSAKey key;
    private final String issuer;
    private final String jwksUri;

    private TestJwts(RSAKey key, String issuer, String jwksUri) {
        this.key = key;
        this.issuer = issuer;
        this.jwksUri = jwksUri;
    }

    public static synchronized TestJwts get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    public String issuer() {
        return issuer;
    }

    public String jwksUri() {
        return jwksUri;
    }

    /** A valid access token for a user of a tenant with the given realm roles ({@code "admin"}, {@code "agent"} …). */
    public String token(String subject, String tenantId, String... roles) {
        return sign(baseClaims(subject, roles).claim("tenant_id", tenantId).build());
    }

    /** A token without a tenant claim: services must reject it. */
    public String tokenWithoutTenant(String subject, String... roles) {
        return sign(baseClaims(subject, roles).build());
    }

    /** A token that expired a minute ago. */
    public String expiredToken(String subject, String tenantId, String... roles) {
        Instant past = Instant.now().minus(Duration.ofMinutes(10));
        return sign(baseClaims(subject, roles).claim("tenant_id", tenantId)
                .issueTime(Date.from(past)).expirationTime(Date.from(past.plus(Duration.ofMinutes(9)))).build());
    }

    /** A well-formed token signed by a key the realm never published. */
    public String forgedToken(String subject, String tenantId, String... roles) {
        try {
            RSAKey other = new RSAKeyGenerator(2048).keyID(key.getKeyID()).generate();
            return sign(baseClaims(subject, roles).claim("tenant_id", tenantId).build(), other);
        }
        catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private JWTClaimsSet.Builder baseClaims(String subject, String... roles) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .subject(subject)
                .issuer(issuer)
                .audience("account")
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofHours(1))))
                .claim("preferred_username", subject)
                .claim("realm_access", Map.of("roles", List.copyOf(Arrays.asList(roles))));
    }

    private String sign(JWTClaimsSet claims) {
        return sign(claims, key);
    }

    private static String sign(JWTClaimsSet claims, RSAKey signingKey) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID())
                    .build(), claims);
            jwt.sign(new RSASSASigner(signingKey));
            return jwt.serialize();
        }
        catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign test token", e);
        }
    }

    private static TestJwts start() {
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyID("conversa-test").generate();
            byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/realms/conversa/protocol/openid-connect/certs", exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, jwks.length);
                try (OutputStream body = exchange.getResponseBody()) {
                    body.write(jwks);
                }
            });
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/conversa";
            return new TestJwts(key, base, base + "/protocol/openid-connect/certs");
        }
        catch (JOSEException | IOException e) {
            throw new IllegalStateException("Cannot start the test JWKS endpoint", e);
        }
    }
}
