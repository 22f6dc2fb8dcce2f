package dev.conversa.message.archive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/**
 * Archival of old messages ({@code conversa.message.archive.*}).
 *
 * @param afterDays messages stored more than this many days ago move to {@code message.messages_archive};
 *                  0 (the default) turns archival off
 * @param cron      when it runs, a Spring cron expression (default daily at 03:00 server time); {@code -} turns the
 *                  schedule off. Every instance schedules it; a PostgreSQL advisory lock lets one run at a time.
 * @param batchSize messages moved per statement (each batch commits on its own, so a run holds no long locks)
 */
@Validated
@ConfigurationProperties("conversa.message.archive")
record ArchiveProperties(@DefaultValue("0") @Min(0) int afterDays,
        @DefaultValue("0 0 3 * * *") @NotBlank String cron,
        @DefaultValue("1000") @Min(1) @Max(50_000) int batchSize) {
}
