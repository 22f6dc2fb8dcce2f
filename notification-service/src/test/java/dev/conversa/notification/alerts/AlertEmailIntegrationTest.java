package dev.conversa.notification.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.campaign.CampaignProgress;
import dev.conversa.events.campaign.CampaignStatus;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.events.session.SessionStatus;
import dev.conversa.notification.webhooks.NotificationTestBase;
import dev.conversa.testsupport.TestJwts;
import jakarta.mail.internet.MimeMessage;

/** Alert e-mails end to end: Kafka event → queued e-mail per interested recipient → GreenMail, with retries. */
class AlertEmailIntegrationTest extends NotificationTestBase {

    private GreenMail mail;

    @BeforeEach
    void startSmtp() {
        mail = smtp();
    }

    @AfterEach
    void stopSmtp() {
        mail.stop();
    }

    private void recipients(String tenant, List<Map<String, Object>> recipients) {
        web.put().uri("/api/v1/alerts/recipients").headers(headers -> headers.setBearerAuth(admin(tenant)))
                .bodyValue(Map.of("recipients", recipients))
                .exchange().expectStatus().isOk();
    }

    private List<MimeMessage> to(String address) {
        return Arrays.stream(mail.getReceivedMessages()).filter(message -> {
            try {
                return Arrays.stream(message.getAllRecipients()).anyMatch(a -> a.toString().equals(address));
            }
            catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    @Test
    void recipientsAreReplacedAndReadBack() {
        String tenant = newTenant();
        recipients(tenant, List.of(Map.of("email", "Ana@Example.com", "kinds", List.of("session-banned")),
                Map.of("email", "luis@example.com", "kinds", List.of())));
        web.get().uri("/api/v1/alerts/recipients").headers(headers -> headers.setBearerAuth(admin(tenant)))
                .exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.recipients.length()").isEqualTo(2)
                .jsonPath("$.recipients[0].email").isEqualTo("ana@example.com")
                .jsonPath("$.recipients[0].kinds[0]").isEqualTo("session-banned")
                .jsonPath("$.availableKinds").value(kinds -> assertThat(String.valueOf(kinds))
                        .contains("session-logged-out", "campaign-finished", "conversation-waiting"));
        web.get().uri("/api/v1/alerts/recipients").headers(headers -> headers.setBearerAuth(admin(newTenant())))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.recipients.length()").isEqualTo(0);
    }

    @Test
    void invalidRecipientsAnswer400AndAgentsAre403() {
        String tenant = newTenant();
        web.put().uri("/api/v1/alerts/recipients").headers(headers -> headers.setBearerAuth(admin(tenant)))
                .bodyValue(Map.of("recipients", List.of(Map.of("email", "not-an-address", "kinds", List.of()))))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("recipients[0].email");
        web.put().uri("/api/v1/alerts/recipients").headers(headers -> headers.setBearerAuth(admin(tenant)))
                .bodyValue(Map.of("recipients", List.of(Map.of("email", "a@example.com", "kinds",
                        List.of("no-such-kind")))))
                .exchange().expectStatus().isBadRequest();
        web.get().uri("/api/v1/alerts/recipients")
                .headers(headers -> headers.setBearerAuth(TestJwts.get().token("agent-1", tenant, "agent")))
                .exchange().expectStatus().isForbidden();
    }

    @Test
    void bannedSessionEmailsTheRecipientsWhoWantIt() throws Exception {
        String tenant = newTenant();
        String wants = "banned@" + tenant + ".example";
        String all = "all@" + tenant + ".example";
        String other = "campaigns@" + tenant + ".example";
        recipients(tenant, List.of(Map.of("email", wants, "kinds", List.of("session-banned")),
                Map.of("email", all, "kinds", List.of()),
                Map.of("email", other, "kinds", List.of("campaign-finished"))));
        String eventId = UUID.randomUUID().toString();

        publishSession(tenant, SessionStatus.BANNED, EventTypes.SESSION_BANNED, eventId);
        publishSession(tenant, SessionStatus.BANNED, EventTypes.SESSION_BANNED, eventId);

        await().atMost(TIMEOUT).until(() -> to(wants).size() == 1 && to(all).size() == 1);
        MimeMessage message = to(wants).getFirst();
        assertThat(message.getSubject()).contains("Número de WhatsApp bloqueado").contains("WhatsApp number banned");
        assertThat((String) message.getContent()).contains("+5491155551234").contains("Número")
                .contains("Number").contains(tenant);
        Thread.sleep(500);
        assertThat(to(wants)).hasSize(1);
        assertThat(to(other)).isEmpty();
        assertThat(servers.database().queryLong(
                "SELECT count(*) FROM notification.alert_emails WHERE event_id = ?", eventId)).isEqualTo(2);
    }

    @Test
    void finishedCampaignIsEmailed() throws Exception {
        String tenant = newTenant();
        String address = "campaigns@" + tenant + ".example";
        recipients(tenant, List.of(Map.of("email", address, "kinds", List.of("campaign-finished"))));
        UUID campaign = UUID.randomUUID();
        CampaignProgress progress = new CampaignProgress(tenant, campaign, "Black Friday", CampaignStatus.FINISHED,
                100, 0, 90, 80, 50, 10, 0, Instant.now());
        publisher.publish(Topics.CRM_CAMPAIGN_EVENTS, EventMetadata.of(EventTypes.CAMPAIGN_FINISHED,
                "/campaign-service", campaign.toString(), tenant, null), progress, campaign.toString())
                .block(TIMEOUT);

        await().atMost(TIMEOUT).until(() -> to(address).size() == 1);
        assertThat(to(address).getFirst().getSubject()).contains("Campaña finalizada");
    }

    @Test
    void emailIsRetriedAfterSmtpFailure() {
        String tenant = newTenant();
        String address = "ops@" + tenant + ".example";
        recipients(tenant, List.of(Map.of("email", address, "kinds", List.of("session-logged-out"))));
        mail.stop();

        String eventId = publishLoggedOut(tenant);

        await().atMost(TIMEOUT).until(() -> servers.database().queryLong(
                "SELECT attempts FROM notification.alert_emails WHERE event_id = ?", eventId) >= 2);
        assertThat(servers.database().queryString(
                "SELECT last_error FROM notification.alert_emails WHERE event_id = ?", eventId)).isNotBlank();
        assertThat(servers.database().queryString(
                "SELECT status FROM notification.alert_emails WHERE event_id = ?", eventId)).isEqualTo("pending");

        mail = smtp();
        await().atMost(TIMEOUT).until(() -> to(address).size() == 1);
        await().atMost(TIMEOUT).until(() -> "sent".equals(servers.database().queryString(
                "SELECT status FROM notification.alert_emails WHERE event_id = ?", eventId)));
    }
}
