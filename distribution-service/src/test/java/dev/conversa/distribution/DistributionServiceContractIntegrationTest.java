package dev.conversa.distribution;

import java.util.Set;

import dev.conversa.testsupport.ServiceContractTest;

/** distribution-service on real servers: readiness covers r2dbc, kafka; schema distribution. */
class DistributionServiceContractIntegrationTest extends ServiceContractTest {

    DistributionServiceContractIntegrationTest() {
        super(new Expectations(Set.of("r2dbc", "kafka"), "distribution",
                Set.of("agents", "round_robin_pointers"), "/api/v1/agents"));
    }
}
