package dev.conversa.session.runtime;

import java.time.Duration;
import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the sessions of this instance are run ({@code conversa.session.runtime.*}).
 *
 * @param restoreConcurrency    sessions opened at once when partitions are assigned: enough to restore thousands
 *                              in seconds, few enough not to stampede WhatsApp, PostgreSQL and Redis
 * @param zombieThreshold       consecutive unanswered sends or failed health pings after which a session that
 *                              looks connected is declared a zombie and restarted
 * @param pairingCodeRetries    how often a pairing-code request is retried while the fresh connection has not shown
 *                              its first QR yet (the protocol wants one first)
 * @param pairingCodeRetryDelay the wait between those retries
 * @param commandBatch          most records of {@code wa.commands} handled as one list (a run of sends is written in
 *                              one statement)
 * @param commandBatchWait      how long a list waits to fill once its first record is in: the most a quiet
 *                              period adds to a command's way
 */
@ConfigurationProperties("conversa.session.runtime")
public record RuntimeProperties(int restoreConcurrency, int zombieThreshold, int pairingCodeRetries,
        Duration pairingCodeRetryDelay, int commandBatch, Duration commandBatchWait) {

    public RuntimeProperties {
        restoreConcurrency = restoreConcurrency <= 0 ? 32 : restoreConcurrency;
        zombieThreshold = zombieThreshold <= 0 ? 3 : zombieThreshold;
        pairingCodeRetries = pairingCodeRetries <= 0 ? 20 : pairingCodeRetries;
        pairingCodeRetryDelay = Objects.requireNonNullElse(pairingCodeRetryDelay, Duration.ofMillis(250));
        commandBatch = commandBatch <= 0 ? 200 : commandBatch;
        commandBatchWait = Objects.requireNonNullElse(commandBatchWait, Duration.ofMillis(10));
    }
}
