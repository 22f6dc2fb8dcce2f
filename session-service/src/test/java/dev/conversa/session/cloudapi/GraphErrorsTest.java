package dev.conversa.session.cloudapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.conversa.session.transport.SendResult;

/** The table of Graph API error codes: which are worth retrying and which mean bad credentials. */
class GraphErrorsTest {

    @ParameterizedTest
    @ValueSource(ints = {130429, 131056, 4, 17, 80007, 131048, 1, 2, 131000, 131016, 131057, 133004})
    void rateLimitsAndTemporaryServerErrorsAreRetryable(int code) {
        assertThat(GraphErrors.isRetryable(code, 400)).isTrue();
        assertThat(GraphErrors.rejected(code, "whatever", 400).retryable()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {131026, 131047, 131049, 131051, 132000, 132001, 132005, 132015, 132999, 100, 190, 10, 200,
            368, 131031, 131009, 131053, 131021, 133010})
    void undeliverableWindowTemplateParameterTokenAndPolicyErrorsAreNotRetryable(int code) {
        assertThat(GraphErrors.isRetryable(code, 400)).isFalse();
        assertThat(GraphErrors.isRetryable(code, 500)).as("the code decides, not the HTTP status").isFalse();
    }

    @Test
    void unknownCodeIsRetryableOnlyWhenMetaAnsweredWithA5xx() {
        assertThat(GraphErrors.isRetryable(999_999, 500)).isTrue();
        assertThat(GraphErrors.isRetryable(999_999, 503)).isTrue();
        assertThat(GraphErrors.isRetryable(999_999, 400)).isFalse();
    }

    @Test
    void tokenAndPermissionErrorsMeanBadCredentials() {
        assertThat(GraphErrors.meansBadCredentials(190)).isTrue();
        assertThat(GraphErrors.meansBadCredentials(10)).isTrue();
        assertThat(GraphErrors.meansBadCredentials(200)).isTrue();
        assertThat(GraphErrors.meansBadCredentials(130429)).isFalse();
        assertThat(GraphErrors.meansBadCredentials(new SendResult.Rejected(190, "x", false))).isTrue();
        assertThat(GraphErrors.meansBadCredentials(new SendResult.Rejected(131026, "x", false))).isFalse();
        assertThat(GraphErrors.meansBadCredentials(new SendResult.Accepted("wamid.1", Instant.now())))
                .isFalse();
    }

    @Test
    void answerWithoutGraphBodyIsJudgedByHttpStatus() {
        assertThat(GraphErrors.withoutGraphError(401))
                .isEqualTo(new SendResult.Rejected(190, "access token refused (HTTP 401)", false));
        assertThat(GraphErrors.withoutGraphError(502).retryable()).isTrue();
        assertThat(GraphErrors.withoutGraphError(502).code()).isEqualTo(502);
        assertThat(GraphErrors.withoutGraphError(429).retryable()).isTrue();
        assertThat(GraphErrors.withoutGraphError(404).retryable()).isFalse();
    }

    @Test
    void knownCodeGetsOurTitleNotMetasWording() {
        SendResult.Rejected rejected = GraphErrors.rejected(131026,
                "(#131026) Message undeliverable to +5491155551234", 400);

        assertThat(rejected.title()).isEqualTo("message undeliverable").doesNotContain("5491155551234");
    }

    @Test
    void unknownCodeKeepsMetasMessageWithNumbersMasked() {
        String title = GraphErrors.title(135000, "(#135000) Generic user error for +54 9 11 5555-1234\nretry");

        assertThat(title).doesNotContain("5555").doesNotContain("\n").contains("#135000").contains("***");
        assertThat(GraphErrors.title(135000, null)).isEqualTo("Graph API error 135000");
        assertThat(GraphErrors.title(132777, null)).isEqualTo("template error");
        assertThat(GraphErrors.sanitize("x".repeat(500))).hasSize(160);
    }
}
