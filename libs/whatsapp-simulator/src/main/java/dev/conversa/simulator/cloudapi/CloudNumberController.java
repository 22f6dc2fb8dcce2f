package dev.conversa.simulator.cloudapi;

import java.util.Comparator;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.conversa.simulator.webhook.WebhookBehaviour;
import dev.conversa.simulator.webhook.WebhookBehaviours;
import dev.conversa.simulator.webhook.WebhookClient;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import reactor.core.publisher.Mono;

/**
 * Control API of Cloud API numbers ({@code /sim/cloud}): register, list, inspect (webhook counters included) and
 * remove numbers, run Meta's webhook verification against a number's receiver, and switch webhook misbehaviour
 * simulator-wide or per number.
 */
@RestController
@RequestMapping("/sim/cloud")
class CloudNumberController {

    private final CloudNumbers numbers;
    private final WebhookBehaviours behaviours;
    private final WebhookClient webhookClient;

    CloudNumberController(CloudNumbers numbers, WebhookBehaviours behaviours, WebhookClient webhookClient) {
        this.numbers = numbers;
        this.behaviours = behaviours;
        this.webhookClient = webhookClient;
    }

    /** A behaviour change; a missing field keeps its current value. */
    record BehaviourChange(@Nullable @DecimalMin("0.0") @DecimalMax("1.0") Double duplicateRate,
            @Nullable Boolean reorderStatuses) {

        WebhookBehaviour applyTo(WebhookBehaviour current) {
            return new WebhookBehaviour(duplicateRate != null ? duplicateRate : current.duplicateRate(),
                    reorderStatuses != null ? reorderStatuses : current.reorderStatuses());
        }
    }

    /** Optional body of a verification: another verify token than the registered one, to see a receiver refuse. */
    record VerificationRequest(@Nullable String verifyToken) {
    }

    @PostMapping("/numbers")
    ResponseEntity<CloudNumberView> register(@Validated @RequestBody CloudNumberRegistration registration) {
        boolean existed = numbers.find(registration.phoneNumberId()).isPresent();
        CloudNumber number = numbers.register(registration);
        CloudNumberView view = CloudNumberView.of(numbers.registered(number.phoneNumberId()).orElseThrow());
        return ResponseEntity.status(existed ? HttpStatus.OK : HttpStatus.CREATED).body(view);
    }

    @GetMapping("/numbers")
    List<CloudNumberView> list() {
        return numbers.registeredNumbers().stream()
                .map(CloudNumberView::of)
                .sorted(Comparator.comparing(CloudNumberView::phoneNumberId))
                .toList();
    }

    @GetMapping("/numbers/{phoneNumberId}")
    ResponseEntity<?> get(@PathVariable String phoneNumberId) {
        return numbers.registered(phoneNumberId)
                .<ResponseEntity<?>>map(number -> ResponseEntity.ok(CloudNumberView.of(number)))
                .orElseGet(() -> notFound(phoneNumberId));
    }

    @DeleteMapping("/numbers/{phoneNumberId}")
    ResponseEntity<?> delete(@PathVariable String phoneNumberId) {
        return numbers.remove(phoneNumberId) ? ResponseEntity.noContent().build() : notFound(phoneNumberId);
    }

    @PostMapping("/numbers/{phoneNumberId}/verify-webhook")
    Mono<ResponseEntity<?>> verify(@PathVariable String phoneNumberId,
            @RequestBody(required = false) @Nullable VerificationRequest request) {
        CloudNumber number = numbers.find(phoneNumberId).orElse(null);
        if (number == null) {
            return Mono.just(notFound(phoneNumberId));
        }
        if (number.webhookUrl() == null) {
            return Mono.just(problem(HttpStatus.CONFLICT, "Phone number id " + phoneNumberId + " has no webhookUrl"));
        }
        String token = request != null && request.verifyToken() != null ? request.verifyToken()
                : number.verifyToken();
        if (token == null) {
            return Mono.just(problem(HttpStatus.CONFLICT, "Phone number id " + phoneNumberId
                    + " has no verifyToken; register one or pass {\"verifyToken\":…}"));
        }
        return webhookClient.verify(number.webhookUrl(), token).map(ResponseEntity::ok);
    }

    @GetMapping("/webhooks/behaviour")
    WebhookBehaviour globalBehaviour() {
        return behaviours.global();
    }

    @PutMapping("/webhooks/behaviour")
    WebhookBehaviour setGlobalBehaviour(@Validated @RequestBody BehaviourChange change) {
        WebhookBehaviour behaviour = change.applyTo(behaviours.global());
        behaviours.setGlobal(behaviour);
        return behaviour;
    }

    @PutMapping("/numbers/{phoneNumberId}/webhooks/behaviour")
    ResponseEntity<?> setOwnBehaviour(@PathVariable String phoneNumberId,
            @Validated @RequestBody BehaviourChange change) {
        RegisteredNumber number = numbers.registered(phoneNumberId).orElse(null);
        if (number == null) {
            return notFound(phoneNumberId);
        }
        number.webhooks().setOwnBehaviour(change.applyTo(number.webhooks().behaviour()));
        return ResponseEntity.ok(CloudNumberView.of(number));
    }

    @DeleteMapping("/numbers/{phoneNumberId}/webhooks/behaviour")
    ResponseEntity<?> clearOwnBehaviour(@PathVariable String phoneNumberId) {
        RegisteredNumber number = numbers.registered(phoneNumberId).orElse(null);
        if (number == null) {
            return notFound(phoneNumberId);
        }
        number.webhooks().setOwnBehaviour(null);
        return ResponseEntity.ok(CloudNumberView.of(number));
    }

    private static ResponseEntity<?> notFound(String phoneNumberId) {
        return problem(HttpStatus.NOT_FOUND, "No Cloud API number with phone number id " + phoneNumberId);
    }

    private static ResponseEntity<?> problem(HttpStatus status, String detail) {
        return ResponseEntity.of(ProblemDetail.forStatusAndDetail(status, detail)).build();
    }
}
