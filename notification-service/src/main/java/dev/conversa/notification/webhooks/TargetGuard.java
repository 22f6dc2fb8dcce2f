package dev.conversa.notification.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Server-side request forgery guard: a webhook target must resolve only to public unicast addresses (not loopback,
 * private, link-local, CGNAT, multicast, unique-local …) unless {@code allow-private-targets} is set. Checked when a
 * subscription is saved and again before every delivery, since DNS answers change; the HTTP client's own resolver
 * ({@link PublicTargetResolverGroup}) enforces it for the address it actually connects to.
 */
final class TargetGuard {

    private final boolean allowPrivate;

    TargetGuard(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    boolean allowsPrivate() {
        return allowPrivate;
    }

    /** Completes when {@code url}'s host resolves to allowed addresses only; resolution runs on boundedElastic. */
    Mono<Void> check(URI url) {
        String host = url.getHost();
        if (host == null) {
            return Mono.error(new RefusedTargetException("the URL has no host"));
        }
        return Mono.fromCallable(() -> {
            requireAllowed(host, resolve(host));
            return true;
        }).subscribeOn(Schedulers.boundedElastic()).then();
    }

    void requireAllowed(String host, List<InetAddress> addresses) {
        if (allowPrivate) {
            return;
        }
        for (InetAddress address : addresses) {
            if (!isPublic(address)) {
                throw new RefusedTargetException(host + " resolves to a non-public address ("
                        + address.getHostAddress() + ")");
            }
        }
    }

    static List<InetAddress> resolve(String host) {
        try {
            String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            return List.of(InetAddress.getAllByName(bare));
        }
        catch (UnknownHostException e) {
            throw new RefusedTargetException(host + " does not resolve");
        }
    }

    /** A global unicast address: the only kind a webhook may reach. */
    static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first != 0 // "this" network
                    && !(first == 100 && second >= 64 && second <= 127) // carrier-grade NAT
                    && !(first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    && !(first == 198 && (second == 18 || second == 19)) // benchmarking
                    && first < 240; // reserved and broadcast
        }
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xff;
            return (first & 0xfe) != 0xfc // unique local fc00::/7
                    && !(first == 0xfe && (b[1] & 0xc0) == 0xc0); // deprecated site-local fec0::/10
        }
        return false;
    }

    /** A target the guard refuses; 400 when creating, a failed delivery without retry when delivering. */
    static final class RefusedTargetException extends RuntimeException {

        RefusedTargetException(String message) {
            super(message);
        }
    }
}
