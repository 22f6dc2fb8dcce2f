package dev.conversa.gateway;

import java.util.Set;

import dev.conversa.testsupport.ServiceContractTest;

/** gateway-service on real servers: readiness covers redis; no database. */
class GatewayServiceContractIntegrationTest extends ServiceContractTest {

    GatewayServiceContractIntegrationTest() {
        super(new Expectations(Set.of("redis"), null,
                Set.of(), "/api/v1/sessions"));
    }
}
