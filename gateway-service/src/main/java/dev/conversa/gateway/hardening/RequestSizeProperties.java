package dev.conversa.gateway.hardening;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Largest request bodies ({@code conversa.gateway.request-size.*}): {@code default-max} for every request, and
 * larger or smaller limits for path patterns (first match wins), e.g. CSV imports.
 */
@ConfigurationProperties("conversa.gateway.request-size")
public record RequestSizeProperties(@DefaultValue("1MB") DataSize defaultMax, @DefaultValue List<Limit> limits) {

    /** A limit for the paths matching any of {@code paths} (Spring path patterns). */
    public record Limit(List<String> paths, DataSize max) {
    }
}
