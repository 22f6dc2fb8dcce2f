package dev.conversa.messaging;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Readiness of the Kafka connection ({@code kafka}), for every service that produces or consumes: the cluster
 * answers a metadata request within the timeout. Unlike the binder's own indicator it does not wait for a binding
 * to exist, so a service that only produces is not reported ready while the broker is away.
 */
public class KafkaHealthIndicator extends AbstractReactiveHealthIndicator {

    private final Admin admin;
    private final Duration timeout;

    public KafkaHealthIndicator(Admin admin, Duration timeout) {
        super("Kafka health check failed");
        this.admin = admin;
        this.timeout = timeout;
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        return Mono.fromCallable(() -> describe(builder))
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(timeout.plusSeconds(1));
    }

    private Health describe(Health.Builder builder) throws Exception {
        DescribeClusterResult cluster = admin.describeCluster(
                new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()));
        int nodes = cluster.nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
        String clusterId = cluster.clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return builder.up().withDetail("clusterId", clusterId).withDetail("nodes", nodes).build();
    }
}
