package dev.conversa.session.qr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.conversa.testsupport.ConversaIntegrationTest;
import dev.conversa.testsupport.TestJwts;

/** {@code GET /api/v1/sessions/{id}/qr} on the whole service: roles, tenants, and a PNG a scanner can read. */
@ConversaIntegrationTest
class QrControllerIntegrationTest {

    private static final String TENANT = "tenant-qr";

    @Autowired
    WebTestClient web;

    @Autowired
    QrCodes codes;

    @Test
    void adminGetsTheCurrentRefAndAPngThatDecodesToIt() {
        UUID session = UUID.randomUUID();
        Instant expiresAt = Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        String ref = "2@Vx8m0c2kQ5yB3nD7tF1hJ9pL4rW6zA0";
        codes.store(session, TENANT, ref, 2, expiresAt).block();

        QrBody body = get(session, TestJwts.get().token("ada", TENANT, "admin"))
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(QrBody.class).returnResult().getResponseBody();

        assertThat(body).isNotNull();
        assertThat(body.sessionId()).isEqualTo(session);
        assertThat(body.ref()).isEqualTo(ref);
        assertThat(body.attempt()).isEqualTo(2);
        assertThat(body.expiresAt()).isEqualTo(expiresAt);
        assertThat(body.pngDataUrl()).startsWith("data:image/png;base64,");
        byte[] png = QrTestImages.pngOfDataUrl(body.pngDataUrl());
        assertThat(QrTestImages.image(png).getWidth()).isEqualTo(QrImages.DEFAULT_SIZE);
        assertThat(QrTestImages.decode(png).getText()).isEqualTo(ref);
    }

    @Test
    void supervisorMayReadTheQrToo() {
        UUID session = UUID.randomUUID();
        codes.store(session, TENANT, "2@sup", 1, Instant.now().plusSeconds(60)).block();

        get(session, TestJwts.get().token("sam", TENANT, "supervisor"))
                .expectStatus().isOk()
                .expectBody().jsonPath("$.ref").isEqualTo("2@sup").jsonPath("$.attempt").isEqualTo(1);
    }

    @Test
    void sessionWithoutQrAnswers404Problem() {
        UUID session = UUID.randomUUID();

        get(session, TestJwts.get().token("ada", TENANT, "admin"))
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(404)
                .jsonPath("$.type").isNotEmpty()
                .jsonPath("$.detail").value(detail -> assertThat(detail.toString()).contains(session.toString()));
    }

    @Test
    void qrOfAnotherTenantsSessionAnswers404NotItsRef() {
        UUID session = UUID.randomUUID();
        codes.store(session, "other-tenant", "2@secret", 1, Instant.now().plusSeconds(60)).block();

        get(session, TestJwts.get().token("ada", TENANT, "admin"))
                .expectStatus().isNotFound()
                .expectBody(String.class).value(text -> assertThat(text).doesNotContain("2@secret"));
    }

    @Test
    void pairedSessionAnswers404() {
        UUID session = UUID.randomUUID();
        codes.store(session, TENANT, "2@done", 3, Instant.now().plusSeconds(60)).block();
        codes.clear(session).block();

        get(session, TestJwts.get().token("ada", TENANT, "admin")).expectStatus().isNotFound();
    }

    @Test
    void expiredQrAnswers404() {
        UUID session = UUID.randomUUID();
        codes.store(session, TENANT, "2@gone", 6, Instant.now().minusMillis(1)).block();

        get(session, TestJwts.get().token("ada", TENANT, "admin")).expectStatus().isNotFound();
    }

    @Test
    void agentIsForbidden() {
        UUID session = UUID.randomUUID();
        codes.store(session, TENANT, "2@agent", 1, Instant.now().plusSeconds(60)).block();

        get(session, TestJwts.get().token("amy", TENANT, "agent"))
                .expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).value(text -> assertThat(text).doesNotContain("2@agent"));
    }

    @Test
    void requestWithoutTokenIsUnauthorized() {
        web.get().uri("/api/v1/sessions/{id}/qr", UUID.randomUUID()).exchange().expectStatus().isUnauthorized();
    }

    @Test
    void malformedSessionIdIsABadRequest() {
        web.get().uri("/api/v1/sessions/not-a-uuid/qr")
                .headers(headers -> headers.setBearerAuth(TestJwts.get().token("ada", TENANT, "admin")))
                .exchange()
                .expectStatus().isBadRequest();
    }

    private WebTestClient.ResponseSpec get(UUID session, String token) {
        return web.get().uri("/api/v1/sessions/{id}/qr", session)
                .headers(headers -> headers.setBearerAuth(token))
                .exchange();
    }

    record QrBody(UUID sessionId, String ref, int attempt, Instant expiresAt, String pngDataUrl) {
    }
}
