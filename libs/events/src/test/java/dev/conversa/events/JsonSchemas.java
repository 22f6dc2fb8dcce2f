package dev.conversa.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * The JSON Schemas of {@code src/main/resources/schemas}, loaded from the classpath by networknt's validator
 * (draft 2020-12, format assertions on), which resolves their relative {@code $ref}s the way a reader of the files
 * would. The validator works on Jackson 2 trees, so JSON is parsed with its own mapper.
 */
final class JsonSchemas {

    static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";

    private static final ObjectMapper JACKSON2 = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .build();

    private JsonSchemas() {
    }

    /** The schema at a classpath resource such as {@code schemas/MessageReceived.schema.json}, references resolved. */
    static JsonSchema load(String resource) {
        JsonSchema schema = FACTORY.getSchema(SchemaLocation.of("classpath:" + resource), CONFIG);
        schema.initializeValidators();
        return schema;
    }

    static Set<ValidationMessage> validate(String resource, byte[] json) {
        return load(resource).validate(tree(json));
    }

    static Set<ValidationMessage> validate(String resource, JsonNode json) {
        return load(resource).validate(json);
    }

    /** The draft 2020-12 meta-schema, bundled in the validator's jar. */
    static JsonSchema metaSchema() {
        return FACTORY.getSchema(SchemaLocation.of(META_SCHEMA), CONFIG);
    }

    static JsonNode tree(byte[] json) {
        try {
            return JACKSON2.readTree(json);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The raw JSON of a classpath resource. */
    static JsonNode resource(String resource) {
        try (InputStream in = JsonSchemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("No resource " + resource);
            }
            return JACKSON2.readTree(in);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean exists(String resource) {
        return JsonSchemas.class.getClassLoader().getResource(resource) != null;
    }
}
