package dev.conversa.gateway;

import java.util.Set;

import dev.conversa.testsupport.ServiceContractTest;

/** gateway-service on real servers: readiness covers redis; no database. */
class GatewayServiceContractIntegrationTest extends ServiceContractTest {

    @Override
    protected Set<String> readinessDependencies() {
        return Set.of("redis");
    }

    @Override
    protected String schema() {
        return null;
    }

    @Override
    protected Set<String> tables() {
        return Set.of();
    }

    @Override
    protected String protectedPath() {
        return "/api/v1/sessions";
    }
}
