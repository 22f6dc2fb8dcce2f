package dev.conversa.session;

import java.util.Set;

import dev.conversa.testsupport.ServiceContractTest;

/** session-service on real servers: readiness covers r2dbc, redis, kafka; schema session. */
class SessionServiceContractIntegrationTest extends ServiceContractTest {

    SessionServiceContractIntegrationTest() {
        super(new Expectations(Set.of("r2dbc", "redis", "kafka"), "session",
                Set.of("sessions"), "/api/v1/sessions"));
    }
}
