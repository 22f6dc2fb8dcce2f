package dev.conversa.security;

import java.util.Map;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;

/**
 * A minimal reactive service: everything auto-configured from the classpath, so the library's
 * {@code ConversaSecurityAutoConfiguration} is picked up through its {@code AutoConfiguration.imports} entry.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
class SecurityTestApplication {

    @RestController
    static class SecuredTestController {

        @GetMapping("/test/admin-only")
        @PreAuthorize("hasRole('ADMIN')")
        Mono<Map<String, String>> adminOnly() {
            return Mono.just(Map.of("result", "admin stuff"));
        }

        @GetMapping("/test/me")
        Mono<Map<String, Object>> me(ConversaPrincipal caller) {
            return Mono.just(Map.of(
                    "userId", caller.userId(),
                    "tenantId", caller.tenantId(),
                    "username", caller.username() == null ? "" : caller.username(),
                    "roles", caller.roles().stream().map(Role::name).sorted().toList(),
                    "seesWholeTenant", caller.seesWholeTenant()));
        }

        @GetMapping("/test/current")
        Mono<String> current() {
            return CurrentPrincipal.get().map(ConversaPrincipal::tenantId);
        }
    }
}
