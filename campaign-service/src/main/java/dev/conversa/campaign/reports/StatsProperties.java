package dev.conversa.campaign.reports;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Dashboards and reports ({@code conversa.stats.*}).
 *
 * @param exportPageSize recipients read per query while the CSV export streams (keyset pages by recipient id)
 */
@ConfigurationProperties("conversa.stats")
public record StatsProperties(@DefaultValue("1000") int exportPageSize) {

    public StatsProperties {
        if (exportPageSize < 1 || exportPageSize > 10_000) {
            throw new IllegalArgumentException("conversa.stats.export-page-size must be between 1 and 10000");
        }
    }
}
