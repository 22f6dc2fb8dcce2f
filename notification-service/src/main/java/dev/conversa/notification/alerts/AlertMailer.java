package dev.conversa.notification.alerts;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import dev.conversa.web.periodic.PeriodicRound;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The sender job, on every instance: each {@code poll-interval} it claims pending e-mails
 * ({@code FOR UPDATE SKIP LOCKED}, leased like webhook deliveries), sends each with {@link JavaMailSender} on
 * {@code boundedElastic} (JavaMail blocks) within {@code send-timeout}, and marks it sent, or schedules a retry with
 * back-off until {@code max-attempts}, then {@code failed}. Logs name the e-mail id and the tenant, never the
 * recipient or the content.
 */
@Component
class AlertMailer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AlertMailer.class);

    /** A claimed e-mail. */
    record Claimed(UUID id, String tenantId, String recipient, String subject, String body, int attempts,
            UUID token) {
    }

    private final DatabaseClient db;
    private final JavaMailSender mail;
    private final AlertProperties properties;
    private final String owner = "mailer/" + UUID.randomUUID().toString().substring(0, 8);
    private final PeriodicRound rounds;

    AlertMailer(DatabaseClient db, JavaMailSender mail, AlertProperties properties) {
        this.db = db;
        this.mail = mail;
        this.properties = properties;
        this.rounds = new PeriodicRound(AlertMailer.class, "Sending alert e-mails", properties.pollInterval(),
                this::sendDue);
    }

    /** Claims and sends what is due; answers how many were attempted. */
    Mono<Long> sendDue() {
        return claim().concatMap(this::send).count();
    }

    private Flux<Claimed> claim() {
        UUID token = UUID.randomUUID();
        return db.sql("""
                WITH due AS (
                    SELECT id FROM notification.alert_emails
                     WHERE status = 'pending' AND next_attempt_at <= now()
                     ORDER BY next_attempt_at
                     LIMIT :limit
                       FOR UPDATE SKIP LOCKED)
                UPDATE notification.alert_emails e
                   SET next_attempt_at = now() + make_interval(secs => :lease), claimed_by = :owner,
                       claim_token = :token, updated_at = now()
                  FROM due
                 WHERE e.id = due.id
                RETURNING e.id, e.tenant_id, e.recipient, e.subject, e.body, e.attempts
                """)
                .bind("limit", properties.claimSize()).bind("lease", properties.lease().toMillis() / 1000.0)
                .bind("owner", owner).bind("token", token)
                .map(row -> new Claimed(row.get("id", UUID.class), row.get("tenant_id", String.class),
                        row.get("recipient", String.class), row.get("subject", String.class),
                        row.get("body", String.class), row.get("attempts", Integer.class), token))
                .all();
    }

    private Mono<Void> send(Claimed email) {
        return Mono.fromRunnable(() -> mail.send(message(email)))
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(properties.sendTimeout())
                .then(Mono.defer(() -> sent(email)))
                .onErrorResume(error -> failed(email, error))
                .onErrorResume(error -> {
                    log.warn("Could not record the outcome of alert e-mail {}: {}", email.id(), error.toString());
                    return Mono.empty();
                });
    }

    private SimpleMailMessage message(Claimed email) {
        SimpleMailMessage message = new SimpleMailMessage();
        message.setFrom(properties.from());
        message.setTo(email.recipient());
        message.setSubject(email.subject());
        message.setText(email.body());
        return message;
    }

    private Mono<Void> sent(Claimed email) {
        return db.sql("UPDATE notification.alert_emails SET status = 'sent', attempts = attempts + 1, "
                + "sent_at = now(), last_error = NULL, claim_token = NULL, updated_at = now() "
                + "WHERE id = :id AND claim_token = :token")
                .bind("id", email.id()).bind("token", email.token())
                .fetch().rowsUpdated()
                .doOnNext(count -> log.info("Sent alert e-mail {} of tenant {}", email.id(), email.tenantId()))
                .then();
    }

    private Mono<Void> failed(Claimed email, Throwable error) {
        int attempts = email.attempts() + 1;
        boolean giveUp = attempts >= properties.maxAttempts();
        Instant next = Instant.now().plus(properties.backoff(attempts));
        String reason = error.getClass().getSimpleName()
                + (error.getMessage() == null ? "" : ": " + error.getMessage());
        log.warn("Alert e-mail {} of tenant {} attempt {} failed ({}); {}", email.id(), email.tenantId(), attempts,
                error.getClass().getSimpleName(), giveUp ? "giving up" : "next attempt at " + next);
        return db.sql("UPDATE notification.alert_emails SET attempts = attempts + 1, last_error = :error, "
                + (giveUp ? "status = 'failed', " : "next_attempt_at = :next, ")
                + "claim_token = NULL, updated_at = now() WHERE id = :id AND claim_token = :token")
                .bind("error", reason.length() > 500 ? reason.substring(0, 500) : reason)
                .bind("id", email.id()).bind("token", email.token())
                .bindValues(giveUp ? java.util.Map.of() : java.util.Map.of("next", next.atOffset(ZoneOffset.UTC)))
                .fetch().rowsUpdated()
                .then();
    }

    @Override
    public void start() {
        rounds.start();
    }

    @Override
    public void stop() {
        rounds.stop();
    }

    @Override
    public boolean isRunning() {
        return rounds.isRunning();
    }
}
