package dev.conversa.notification;

import java.util.Set;

import dev.conversa.testsupport.ServiceContractTest;

/** notification-service on real servers: readiness covers r2dbc, redis, kafka; schema notification. */
class NotificationServiceContractIntegrationTest extends ServiceContractTest {

    NotificationServiceContractIntegrationTest() {
        super(new Expectations(Set.of("r2dbc", "redis", "kafka"), "notification",
                Set.of("webhook_subscriptions"), "/api/v1/events/stream"));
    }
}
