package dev.conversa.session.ownership;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Session ownership ({@code conversa.session.ownership.*}).
 *
 * @param instanceId        this instance's name in the session leases; unset: the host name plus a short random
 *                          suffix, resolved once (so two processes on one host never share it)
 * @param leaseTtl          how long a session lease lives without renewal: how long a dead owner blocks failover
 * @param renewInterval     how often the owner renews its leases; unset: {@code leaseTtl / 3}; must be below the TTL
 * @param revocationTimeout how long a rebalance waits for the runtime to close the revoked partitions' sessions
 * @param acquireTimeout    how long a new owner waits for a stale lease (of a dead owner) to expire; unset:
 *                          {@code leaseTtl + 5s}
 * @param commandsBinding   the Spring Cloud Stream input binding that consumes {@code wa.commands}
 */
@ConfigurationProperties("conversa.session.ownership")
public record OwnershipProperties(
        String instanceId,
        @DefaultValue("15s") Duration leaseTtl,
        Duration renewInterval,
        @DefaultValue("20s") Duration revocationTimeout,
        Duration acquireTimeout,
        @DefaultValue("handleCommand-in-0") String commandsBinding) {

    private static final String PREFIX = "conversa.session.ownership.";

    public OwnershipProperties {
        if (instanceId == null || instanceId.isBlank()) {
            instanceId = defaultInstanceId();
        }
        leaseTtl = Objects.requireNonNullElse(leaseTtl, Duration.ofSeconds(15));
        requirePositive("lease-ttl", leaseTtl);
        if (leaseTtl.toMillis() < 1) {
            throw new IllegalArgumentException(PREFIX + "lease-ttl must be at least 1ms, was " + leaseTtl);
        }
        if (renewInterval == null) {
            renewInterval = leaseTtl.dividedBy(3);
        }
        requirePositive("renew-interval", renewInterval);
        if (renewInterval.compareTo(leaseTtl) >= 0) {
            throw new IllegalArgumentException(PREFIX + "renew-interval (" + renewInterval
                    + ") must be below lease-ttl (" + leaseTtl + ")");
        }
        revocationTimeout = Objects.requireNonNullElse(revocationTimeout, Duration.ofSeconds(20));
        requirePositive("revocation-timeout", revocationTimeout);
        if (acquireTimeout == null) {
            acquireTimeout = leaseTtl.plusSeconds(5);
        }
        if (acquireTimeout.isNegative()) {
            throw new IllegalArgumentException(PREFIX + "acquire-timeout must not be negative, was " + acquireTimeout);
        }
        if (commandsBinding == null || commandsBinding.isBlank()) {
            throw new IllegalArgumentException(PREFIX + "commands-binding must not be blank");
        }
    }

    /** The defaults: a generated instance id, TTL 15 s, renewal every 5 s, revocation 20 s, acquire wait 20 s. */
    public static OwnershipProperties defaults() {
        return new OwnershipProperties(null, null, null, null, null, "handleCommand-in-0");
    }

    private static void requirePositive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(PREFIX + name + " must be positive, was " + value);
        }
    }

    private static String defaultInstanceId() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        return hostName() + "-" + suffix;
    }

    private static String hostName() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (Exception unknown) {
            return "session-service";
        }
    }
}
