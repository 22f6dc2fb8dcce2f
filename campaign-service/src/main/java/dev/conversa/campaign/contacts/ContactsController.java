package dev.conversa.campaign.contacts;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.conversa.security.ConversaPrincipal;
import dev.conversa.web.paging.CursorPage;
import dev.conversa.web.problem.ApiException;
import reactor.core.publisher.Mono;

/**
 * {@code /api/v1/contacts}: the caller's tenant's contacts. Reading needs any staff role; changing needs supervisor
 * or admin. A contact's {@code ETag} is its version; {@code PATCH} needs it in {@code If-Match}.
 */
@RestController
@RequestMapping(ContactsController.BASE)
class ContactsController {

    static final String BASE = "/api/v1/contacts";
    static final String READERS = "hasAnyRole('ADMIN', 'SUPERVISOR', 'AGENT', 'SERVICE')";
    static final String MANAGERS = "hasAnyRole('ADMIN', 'SUPERVISOR')";
    private static final int MAX_TEXT = 100;

    private final ContactService service;
    private final ContactRepository repository;

    ContactsController(ContactService service, ContactRepository repository) {
        this.service = service;
        this.repository = repository;
    }

    @GetMapping
    @PreAuthorize(READERS)
    Mono<CursorPage<Contact>> list(@RequestParam(required = false) @Nullable String q,
            @RequestParam(required = false) @Nullable String group,
            @RequestParam(required = false) @Nullable String tag,
            @RequestParam(required = false) @Nullable Boolean optedOut,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(required = false) @Nullable Integer size, ConversaPrincipal caller) {
        return Mono.fromCallable(() -> new ContactRepository.Filter(text("q", q), text("group", group),
                        text("tag", tag), optedOut))
                .flatMap(filter -> service.list(caller, filter, cursor, size));
    }

    @GetMapping("/groups")
    @PreAuthorize(READERS)
    Mono<Map<String, List<ContactRepository.Label>>> groups(ConversaPrincipal caller) {
        return repository.labels(caller.tenantId(), true).collectList().map(items -> Map.of("items", items));
    }

    @GetMapping("/tags")
    @PreAuthorize(READERS)
    Mono<Map<String, List<ContactRepository.Label>>> tags(ConversaPrincipal caller) {
        return repository.labels(caller.tenantId(), false).collectList().map(items -> Map.of("items", items));
    }

    @GetMapping("/{id}")
    @PreAuthorize(READERS)
    Mono<ResponseEntity<Contact>> get(@PathVariable UUID id, ConversaPrincipal caller) {
        return service.get(caller, id).map(ContactsController::withETag);
    }

    @PostMapping
    @PreAuthorize(MANAGERS)
    Mono<ResponseEntity<Contact>> create(@RequestBody ContactRequest request, ConversaPrincipal caller) {
        return service.create(caller, request).map(contact -> ResponseEntity.status(HttpStatus.CREATED)
                .location(URI.create(BASE + "/" + contact.id()))
                .eTag("\"" + contact.version() + "\"")
                .body(contact));
    }

    @PatchMapping("/{id}")
    @PreAuthorize(MANAGERS)
    Mono<ResponseEntity<Contact>> patch(@PathVariable UUID id,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch,
            @RequestBody ContactRequest patch, ConversaPrincipal caller) {
        return service.patch(caller, id, ifMatch, patch).map(ContactsController::withETag);
    }

    @DeleteMapping("/{id}")
    @PreAuthorize(MANAGERS)
    Mono<ResponseEntity<Void>> delete(@PathVariable UUID id, ConversaPrincipal caller) {
        return service.delete(caller, id).thenReturn(ResponseEntity.noContent().build());
    }

    @PostMapping("/{id}/opt-out")
    @PreAuthorize(MANAGERS)
    Mono<ResponseEntity<Contact>> optOut(@PathVariable UUID id, ConversaPrincipal caller) {
        return service.optOut(caller, id, true).map(ContactsController::withETag);
    }

    @PostMapping("/{id}/opt-in")
    @PreAuthorize(MANAGERS)
    Mono<ResponseEntity<Contact>> optIn(@PathVariable UUID id, ConversaPrincipal caller) {
        return service.optOut(caller, id, false).map(ContactsController::withETag);
    }

    private static ResponseEntity<Contact> withETag(Contact contact) {
        return ResponseEntity.ok().eTag("\"" + contact.version() + "\"").body(contact);
    }

    private static @Nullable String text(String name, @Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > MAX_TEXT) {
            throw ApiException.badRequest(name + " must be at most " + MAX_TEXT + " characters");
        }
        return value.strip();
    }
}
