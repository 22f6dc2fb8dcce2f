package dev.conversa.distribution;

import java.util.Set;

import dev.conversa.testsupport.ServiceContractTest;

/** distribution-service on real servers: readiness covers r2dbc, binders; schema distribution. */
class DistributionServiceContractIntegrationTest extends ServiceContractTest {

    @Override
    protected Set<String> readinessDependencies() {
        return Set.of("r2dbc", "kafka");
    }

    @Override
    protected String schema() {
        return "distribution";
    }

    @Override
    protected Set<String> tables() {
        return Set.of("agents", "round_robin_pointers");
    }

    @Override
    protected String protectedPath() {
        return "/api/v1/agents";
    }
}
