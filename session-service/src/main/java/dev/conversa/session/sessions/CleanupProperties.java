package dev.conversa.session.sessions;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/**
 * The scheduled cleanup of inactive sessions ({@code conversa.session.cleanup.*}).
 *
 * @param cron         when it runs, a Spring cron expression (default daily at 03:00 server time); {@code -} turns it
 *                     off. Every instance schedules it; a PostgreSQL advisory lock lets only one run at a time.
 * @param inactiveDays a session that is not connected and showed no life (message or connection) for this many days
 *                     becomes {@code inactive}
 */
@Validated
@ConfigurationProperties("conversa.session.cleanup")
record CleanupProperties(@DefaultValue("0 0 3 * * *") @NotBlank String cron,
        @DefaultValue("30") @Min(1) int inactiveDays) {
}
