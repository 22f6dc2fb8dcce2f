package dev.conversa.message;

import java.util.Set;

import dev.conversa.testsupport.ServiceContractTest;

/** message-service on real servers: readiness covers r2dbc, kafka; schema message. */
class MessageServiceContractIntegrationTest extends ServiceContractTest {

    MessageServiceContractIntegrationTest() {
        super(new Expectations(Set.of("r2dbc", "kafka"), "message",
                Set.of("conversations", "messages"), "/api/v1/conversations"));
    }
}
