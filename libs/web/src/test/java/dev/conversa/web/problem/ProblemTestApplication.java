package dev.conversa.web.problem;

import java.util.Map;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import reactor.core.publisher.Mono;

/**
 * A minimal reactive application: everything auto-configured from the classpath, so the library's
 * {@code ProblemDetailAutoConfiguration} is picked up through its {@code AutoConfiguration.imports} entry and competes
 * with Spring Boot's own error handler exactly as in a service.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
class ProblemTestApplication {

    record ContactRequest(@NotBlank String name, @Pattern(regexp = "\\+[0-9]{8,15}") String phone) {
    }

    @RestController
    static class ProblemTestController {

        @GetMapping("/test/sessions/{id}")
        Mono<Map<String, String>> session(@PathVariable String id) {
            throw ApiException.notFound("session", id);
        }

        @PostMapping("/test/sessions")
        Mono<Map<String, String>> createSession() {
            return Mono.error(ApiException.conflict("A session for this number already exists")
                    .with("existingId", "3f1e0c9a-6b7d-4c2e-8a51-0d9b7e6f4a21"));
        }

        @PostMapping("/test/sessions/overriding")
        Mono<Map<String, String>> createSessionOverridingMembers() {
            throw ApiException.conflict("conflict").with("status", 200).with("type", "https://evil.example/x");
        }

        @PostMapping("/test/contacts")
        @ResponseStatus(HttpStatus.CREATED)
        Mono<ContactRequest> createContact(@Valid @RequestBody ContactRequest request) {
            return Mono.just(request);
        }

        @DeleteMapping("/test/contacts/{id}")
        Mono<Void> deleteContact(@PathVariable String id) {
            return Mono.empty();
        }

        @GetMapping("/test/boom")
        Mono<String> boom() {
            throw new IllegalStateException("secret internals");
        }

        @GetMapping("/test/boom-later")
        Mono<String> boomLater() {
            return Mono.error(new IllegalStateException("secret internals"));
        }

        @GetMapping("/test/unavailable")
        Mono<String> unavailable() {
            throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "WhatsApp is down");
        }
    }
}
