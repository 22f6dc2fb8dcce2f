package dev.conversa.campaign;

import java.util.Set;

import dev.conversa.testsupport.ServiceContractTest;

/** campaign-service on real servers: readiness covers r2dbc, kafka; schema campaign. */
class CampaignServiceContractIntegrationTest extends ServiceContractTest {

    CampaignServiceContractIntegrationTest() {
        super(new Expectations(Set.of("r2dbc", "kafka"), "campaign",
                Set.of("contacts", "campaigns"), "/api/v1/campaigns"));
    }
}
