package dev.conversa.campaign.campaigns;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Campaign definitions and lifecycle ({@code conversa.campaigns.*}).
 *
 * @param defaultPageSize  items of a listing page when the client asks for none
 * @param maxPageSize      most items of a listing page
 * @param tickInterval     how often scheduled campaigns are started and finished ones closed
 * @param progressInterval how often running campaigns announce their counters (only when they changed)
 */
@ConfigurationProperties("conversa.campaigns")
public record CampaignProperties(
        @DefaultValue("20") int defaultPageSize,
        @DefaultValue("100") int maxPageSize,
        @DefaultValue("1s") Duration tickInterval,
        @DefaultValue("10s") Duration progressInterval) {

    public CampaignProperties {
        if (defaultPageSize < 1 || maxPageSize < defaultPageSize) {
            throw new IllegalArgumentException("conversa.campaigns page sizes: 1 <= default-page-size <= max-page-size");
        }
        if (tickInterval.isNegative() || tickInterval.isZero() || progressInterval.isNegative()
                || progressInterval.isZero()) {
            throw new IllegalArgumentException("conversa.campaigns intervals must be positive");
        }
    }
}
