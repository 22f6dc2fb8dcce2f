package dev.conversa.notification.alerts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.conversa.security.ConversaPrincipal;
import dev.conversa.web.problem.ApiException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code /api/v1/alerts/recipients} (admins): who receives the tenant's alert e-mails and which kinds each wants
 * (empty {@code kinds}: every kind). {@code PUT} replaces the whole list.
 */
@RestController
@RequestMapping("/api/v1/alerts/recipients")
@PreAuthorize("hasRole('ADMIN')")
class AlertRecipientsController {

    /** One recipient: an e-mail address and the {@link AlertKind} values it wants. */
    record Recipient(@NotBlank @Email @Size(max = 254) String email, @Size(max = 20) List<String> kinds) {
    }

    /** The list, and (in answers) every kind there is. */
    record Recipients(@NotNull @Valid List<Recipient> recipients, List<String> availableKinds) {
    }

    private final DatabaseClient db;
    private final TransactionalOperator transactions;
    private final AlertProperties properties;

    AlertRecipientsController(DatabaseClient db, TransactionalOperator transactions, AlertProperties properties) {
        this.db = db;
        this.transactions = transactions;
        this.properties = properties;
    }

    @GetMapping
    Mono<Recipients> get(ConversaPrincipal caller) {
        return db.sql("SELECT email, kinds FROM notification.alert_recipients WHERE tenant_id = :tenant "
                + "ORDER BY email")
                .bind("tenant", caller.tenantId())
                .map(row -> new Recipient(row.get("email", String.class),
                        Arrays.asList(row.get("kinds", String[].class))))
                .all().collectList()
                .map(list -> new Recipients(list, availableKinds()));
    }

    @PutMapping
    Mono<Recipients> put(@Validated @RequestBody Recipients body, ConversaPrincipal caller) {
        List<Recipient> recipients = normalized(body.recipients());
        Mono<Void> replace = db.sql("DELETE FROM notification.alert_recipients WHERE tenant_id = :tenant")
                .bind("tenant", caller.tenantId()).fetch().rowsUpdated()
                .thenMany(Flux.fromIterable(recipients).concatMap(recipient -> db.sql(
                        "INSERT INTO notification.alert_recipients (tenant_id, email, kinds) "
                                + "VALUES (:tenant, :email, :kinds)")
                        .bind("tenant", caller.tenantId()).bind("email", recipient.email())
                        .bind("kinds", recipient.kinds().toArray(String[]::new))
                        .fetch().rowsUpdated()))
                .then();
        return replace.as(transactions::transactional).then(get(caller));
    }

    private List<Recipient> normalized(List<Recipient> recipients) {
        if (recipients.size() > properties.maxRecipients()) {
            throw ApiException.badRequest("at most " + properties.maxRecipients() + " recipients");
        }
        List<Recipient> result = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (Recipient recipient : recipients) {
            String email = recipient.email().strip().toLowerCase(java.util.Locale.ROOT);
            if (seen.contains(email)) {
                throw ApiException.badRequest("recipient " + email + " is listed twice");
            }
            seen.add(email);
            List<String> kinds = new ArrayList<>();
            for (String kind : recipient.kinds() == null ? List.<String>of() : recipient.kinds()) {
                AlertKind known = AlertKind.fromValue(String.valueOf(kind)).orElseThrow(() -> ApiException
                        .badRequest("unknown alert kind '" + kind + "'; known: " + availableKinds()));
                if (!kinds.contains(known.value())) {
                    kinds.add(known.value());
                }
            }
            result.add(new Recipient(email, kinds));
        }
        return result;
    }

    private static List<String> availableKinds() {
        return Arrays.stream(AlertKind.values()).map(AlertKind::value).toList();
    }
}
