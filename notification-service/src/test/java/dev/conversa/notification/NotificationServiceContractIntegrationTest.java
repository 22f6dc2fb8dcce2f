package dev.conversa.notification;

import java.util.Set;

import dev.conversa.testsupport.ServiceContractTest;

/** notification-service on real servers: readiness covers r2dbc, redis, binders; schema notification. */
class NotificationServiceContractIntegrationTest extends ServiceContractTest {

    @Override
    protected Set<String> readinessDependencies() {
        return Set.of("r2dbc", "redis", "kafka");
    }

    @Override
    protected String schema() {
        return "notification";
    }

    @Override
    protected Set<String> tables() {
        return Set.of("webhook_subscriptions");
    }

    @Override
    protected String protectedPath() {
        return "/api/v1/events/stream";
    }
}
