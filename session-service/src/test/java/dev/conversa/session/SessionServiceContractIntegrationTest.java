package dev.conversa.session;

import java.util.Set;

import dev.conversa.testsupport.ServiceContractTest;

/** session-service on real servers: readiness covers r2dbc, redis, binders; schema session. */
class SessionServiceContractIntegrationTest extends ServiceContractTest {

    @Override
    protected Set<String> readinessDependencies() {
        return Set.of("r2dbc", "redis", "kafka");
    }

    @Override
    protected String schema() {
        return "session";
    }

    @Override
    protected Set<String> tables() {
        return Set.of("sessions");
    }

    @Override
    protected String protectedPath() {
        return "/api/v1/sessions";
    }
}
