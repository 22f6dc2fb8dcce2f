package dev.conversa.session.cloudapi;

import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Graph API the Cloud API sessions send through ({@code conversa.session.cloud-api.*}). Invalid values fail the
 * start.
 *
 * @param baseUrl         Meta's Graph API, or the simulator's base URL in tests and the local stack
 *                        ({@code CLOUD_API_BASE_URL}); an absolute http(s) URL without query
 * @param version         the Graph API version in every path, {@code v<major>.<minor>} (reference: v25.0)
 * @param connectTimeout  how long a TCP/TLS connect may take
 * @param responseTimeout how long Meta may take to answer a request once it is sent; after it the send's outcome is
 *                        unknown ({@link java.util.concurrent.TimeoutException})
 * @param maxConnections  the pool shared by all sessions of this instance
 */
@ConfigurationProperties("conversa.session.cloud-api")
public record CloudApiProperties(
        @DefaultValue(DEFAULT_BASE_URL) URI baseUrl,
        @DefaultValue(DEFAULT_VERSION) String version,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("15s") Duration responseTimeout,
        @DefaultValue("500") int maxConnections) {

    public static final String DEFAULT_BASE_URL = "https://graph.facebook.com";
    public static final String DEFAULT_VERSION = "v25.0";

    private static final Pattern VERSION = Pattern.compile("^v[0-9]{1,3}\\.[0-9]{1,3}$");
    private static final String PREFIX = "conversa.session.cloud-api.";

    public CloudApiProperties {
        if (baseUrl == null) {
            baseUrl = URI.create(DEFAULT_BASE_URL);
        }
        if (version == null) {
            version = DEFAULT_VERSION;
        }
        if (connectTimeout == null) {
            connectTimeout = Duration.ofSeconds(5);
        }
        if (responseTimeout == null) {
            responseTimeout = Duration.ofSeconds(15);
        }
        String scheme = baseUrl.getScheme();
        if (!baseUrl.isAbsolute() || baseUrl.getHost() == null
                || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
                || baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
            throw new IllegalArgumentException(PREFIX + "base-url must be an absolute http(s) URL without query, was "
                    + baseUrl);
        }
        if (!VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException(PREFIX + "version must look like v25.0, was " + version);
        }
        if (!connectTimeout.isPositive() || connectTimeout.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException(PREFIX + "connect-timeout must be in (0, 1m], was " + connectTimeout);
        }
        if (!responseTimeout.isPositive() || responseTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException(PREFIX + "response-timeout must be in (0, 5m], was " + responseTimeout);
        }
        if (maxConnections < 1 || maxConnections > 100_000) {
            throw new IllegalArgumentException(PREFIX + "max-connections must be in 1..100000, was " + maxConnections);
        }
    }

    /** Meta's Graph API with the defaults: v25.0, connect 5 s, response 15 s, 500 connections. */
    public static CloudApiProperties defaults() {
        return new CloudApiProperties(URI.create(DEFAULT_BASE_URL), DEFAULT_VERSION, Duration.ofSeconds(5),
                Duration.ofSeconds(15), 500);
    }

    /** The same settings against another Graph API, e.g. the simulator's {@code http://127.0.0.1:<port>}. */
    public CloudApiProperties withBaseUrl(URI otherBaseUrl) {
        return new CloudApiProperties(otherBaseUrl, version, connectTimeout, responseTimeout, maxConnections);
    }
}
