package dev.conversa.campaign;

import java.util.Set;

import dev.conversa.testsupport.ServiceContractTest;

/** campaign-service on real servers: readiness covers r2dbc, binders; schema campaign. */
class CampaignServiceContractIntegrationTest extends ServiceContractTest {

    @Override
    protected Set<String> readinessDependencies() {
        return Set.of("r2dbc", "kafka");
    }

    @Override
    protected String schema() {
        return "campaign";
    }

    @Override
    protected Set<String> tables() {
        return Set.of("contacts", "campaigns");
    }

    @Override
    protected String protectedPath() {
        return "/api/v1/campaigns";
    }
}
