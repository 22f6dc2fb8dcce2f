package dev.conversa.web.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;

/** Every error leaving a handler, or the router, is RFC 9457 ProblemDetail JSON with a stable {@code type}. */
@SpringBootTest(classes = ProblemTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class ProblemDetailExceptionHandlerTest {

    private static final String TYPES = "https://conversa.dev/problems/";

    @Autowired
    WebTestClient client;

    @Test
    void apiNotFoundBecomes404ProblemWithStableTypeAndRequestPathAsInstance() {
        client.get().uri("/test/sessions/s-42").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo(TYPES + "not-found")
                .jsonPath("$.title").isEqualTo("Not found")
                .jsonPath("$.status").isEqualTo(404)
                .jsonPath("$.detail").isEqualTo("session s-42 does not exist")
                .jsonPath("$.instance").isEqualTo("/test/sessions/s-42");
    }

    @Test
    void apiConflictBecomes409ProblemWithExtensionMemberAtTopLevel() {
        client.post().uri("/test/sessions").exchange()
                .expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo(TYPES + "conflict")
                .jsonPath("$.title").isEqualTo("Conflict")
                .jsonPath("$.status").isEqualTo(409)
                .jsonPath("$.detail").isEqualTo("A session for this number already exists")
                .jsonPath("$.instance").isEqualTo("/test/sessions")
                .jsonPath("$.existingId").isEqualTo("3f1e0c9a-6b7d-4c2e-8a51-0d9b7e6f4a21")
                .jsonPath("$.properties").doesNotExist();
    }

    @Test
    void extensionMembersCannotOverrideStandardMembers() {
        client.post().uri("/test/sessions/overriding").exchange()
                .expectStatus().isEqualTo(409)
                .expectBody()
                .jsonPath("$.status").isEqualTo(409)
                .jsonPath("$.type").isEqualTo(TYPES + "conflict");
    }

    @Test
    void invalidRequestBodyBecomes400ValidationProblemListingFieldErrors() {
        client.post().uri("/test/contacts").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", " ", "phone", "+5491155551234"))
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo(TYPES + "validation")
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.detail").isEqualTo("The request has invalid fields")
                .jsonPath("$.instance").isEqualTo("/test/contacts")
                .jsonPath("$.errors.length()").isEqualTo(1)
                .jsonPath("$.errors[0].field").isEqualTo("name")
                .jsonPath("$.errors[0].message").isNotEmpty();
    }

    @Test
    void everyInvalidFieldIsListedInTheValidationProblem() {
        client.post().uri("/test/contacts").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "", "phone", "12"))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors.length()").isEqualTo(2)
                .jsonPath("$.errors[?(@.field == 'name')].message").isNotEmpty()
                .jsonPath("$.errors[?(@.field == 'phone')].message").isNotEmpty();
    }

    @Test
    void validRequestBodyPassesThrough() {
        client.post().uri("/test/contacts").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Ana", "phone", "+5491155551234"))
                .exchange()
                .expectStatus().isCreated()
                .expectBody()
                .jsonPath("$.name").isEqualTo("Ana");
    }

    @Test
    void unknownRouteBecomes404ProblemInsteadOfBootsErrorJson() {
        client.get().uri("/no/such/route").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo(TYPES + "not-found")
                .jsonPath("$.status").isEqualTo(404)
                .jsonPath("$.instance").isEqualTo("/no/such/route")
                .jsonPath("$.timestamp").doesNotExist()
                .jsonPath("$.path").doesNotExist()
                .jsonPath("$.requestId").doesNotExist();
    }

    @Test
    void unexpectedExceptionBecomes500ProblemWithErrorIdAndNoInternals() {
        assertOpaqueInternalError("/test/boom");
    }

    @Test
    void unexpectedErrorSignalBecomes500ProblemWithErrorIdAndNoInternals() {
        assertOpaqueInternalError("/test/boom-later");
    }

    @Test
    void eachUnexpectedErrorGetsItsOwnErrorId() {
        String first = errorIdOf("/test/boom");
        String second = errorIdOf("/test/boom");
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void unsupportedMediaTypeBecomes415Problem() {
        client.post().uri("/test/contacts").contentType(MediaType.TEXT_PLAIN)
                .bodyValue("name=Ana")
                .exchange()
                .expectStatus().isEqualTo(415)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo(TYPES + "unsupported-media-type")
                .jsonPath("$.status").isEqualTo(415)
                .jsonPath("$.instance").isEqualTo("/test/contacts");
    }

    @Test
    void wrongMethodBecomes405ProblemThatNamesTheAllowedMethods() {
        client.put().uri("/test/contacts/c-1").exchange()
                .expectStatus().isEqualTo(405)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().exists("Allow")
                .expectBody()
                .jsonPath("$.type").isEqualTo(TYPES + "method-not-allowed")
                .jsonPath("$.status").isEqualTo(405);
    }

    @Test
    void responseStatusExceptionWithoutTypeGetsTheGenericTypeOfItsStatus() {
        client.get().uri("/test/unavailable").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo(TYPES + "service-unavailable")
                .jsonPath("$.status").isEqualTo(503)
                .jsonPath("$.detail").isEqualTo("WhatsApp is down");
    }

    private void assertOpaqueInternalError(String path) {
        String body = internalErrorBody(path);
        DocumentContext json = JsonPath.parse(body);
        assertThat(json.read("$.type", String.class)).isEqualTo(TYPES + "internal");
        assertThat(json.read("$.title", String.class)).isEqualTo("Internal error");
        assertThat(json.read("$.status", Integer.class)).isEqualTo(500);
        assertThat(json.read("$.instance", String.class)).isEqualTo(path);
        String errorId = json.read("$.errorId", String.class);
        assertThat(errorId).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(json.read("$.detail", String.class)).contains(errorId);
        assertThat(body)
                .doesNotContainIgnoringCase("secret internals")
                .doesNotContainIgnoringCase("trace")
                .doesNotContainIgnoringCase("exception")
                .doesNotContain("IllegalState");
    }

    private String internalErrorBody(String path) {
        return client.get().uri(path).exchange()
                .expectStatus().isEqualTo(500)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).returnResult().getResponseBody();
    }

    private String errorIdOf(String path) {
        return JsonPath.read(internalErrorBody(path), "$.errorId");
    }
}
