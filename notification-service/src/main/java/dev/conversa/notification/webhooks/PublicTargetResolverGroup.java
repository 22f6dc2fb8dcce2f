package dev.conversa.notification.webhooks;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.resolver.InetSocketAddressResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;

/**
 * The webhook HTTP client's resolver: answers only addresses {@link TargetGuard} allows, so the address connected to
 * is the address checked (a DNS answer that changed between the check and the connection is refused too). Uses the
 * JVM's resolver, whose cache {@link TargetGuard#check} warmed on boundedElastic just before.
 */
final class PublicTargetResolverGroup extends AddressResolverGroup<InetSocketAddress> {

    private final TargetGuard guard;

    PublicTargetResolverGroup(TargetGuard guard) {
        this.guard = guard;
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
        return new InetSocketAddressResolver(executor, new InetNameResolver(executor) {

            @Override
            protected void doResolve(String host, Promise<InetAddress> promise) {
                try {
                    List<InetAddress> addresses = TargetGuard.resolve(host);
                    guard.requireAllowed(host, addresses);
                    promise.setSuccess(addresses.getFirst());
                }
                catch (RuntimeException e) {
                    promise.setFailure(e);
                }
            }

            @Override
            protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
                try {
                    List<InetAddress> addresses = TargetGuard.resolve(host);
                    guard.requireAllowed(host, addresses);
                    promise.setSuccess(addresses);
                }
                catch (RuntimeException e) {
                    promise.setFailure(e);
                }
            }
        });
    }
}
