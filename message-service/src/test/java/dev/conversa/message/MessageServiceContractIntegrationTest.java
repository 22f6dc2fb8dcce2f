package dev.conversa.message;

import java.util.Set;

import dev.conversa.testsupport.ServiceContractTest;

/** message-service on real servers: readiness covers r2dbc, binders; schema message. */
class MessageServiceContractIntegrationTest extends ServiceContractTest {

    @Override
    protected Set<String> readinessDependencies() {
        return Set.of("r2dbc", "kafka");
    }

    @Override
    protected String schema() {
        return "message";
    }

    @Override
    protected Set<String> tables() {
        return Set.of("conversations", "messages");
    }

    @Override
    protected String protectedPath() {
        return "/api/v1/conversations";
    }
}
