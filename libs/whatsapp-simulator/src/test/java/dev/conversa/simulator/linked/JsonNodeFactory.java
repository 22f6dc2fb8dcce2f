package dev.conversa.simulator.linked;

import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Small JSON values for tests. */
final class JsonNodeFactory {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private JsonNodeFactory() {
    }

    static JsonNode credentials(String deviceId, String secret) {
        return JSON.valueToTree(Map.of("deviceId", deviceId, "secret", secret));
    }
}
