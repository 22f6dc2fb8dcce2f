package dev.conversa.campaign.contacts;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import dev.conversa.security.ConversaPrincipal;
import dev.conversa.web.id.Uuids;
import dev.conversa.web.paging.CursorPage;
import dev.conversa.web.paging.KeysetCursor;
import dev.conversa.web.problem.ApiException;
import dev.conversa.web.problem.ProblemTypes;
import reactor.core.publisher.Mono;

/** Contacts of the caller's tenant: another tenant's contact answers 404. */
@Service
class ContactService {

    private static final String CONTACTS_CURSOR = "n1";

    private final ContactRepository repository;
    private final PhoneNormalizer phones;
    private final ContactsProperties properties;
    private final Clock clock;

    ContactService(ContactRepository repository, PhoneNormalizer phones, ContactsProperties properties, Clock clock) {
        this.repository = repository;
        this.phones = phones;
        this.properties = properties;
        this.clock = clock;
    }

    static int pageSize(@Nullable Integer size, ContactsProperties properties) {
        int value = size == null ? properties.defaultPageSize() : size;
        if (value < 1 || value > properties.maxPageSize()) {
            throw ApiException.badRequest("size must be between 1 and " + properties.maxPageSize());
        }
        return value;
    }

    Mono<CursorPage<Contact>> list(ConversaPrincipal caller, ContactRepository.Filter filter,
            @Nullable String cursor, @Nullable Integer size) {
        return Mono.fromCallable(() -> new Object[] {KeysetCursor.decode(CONTACTS_CURSOR, cursor), pageSize(size,
                        properties)})
                .flatMap(args -> {
                    int limit = (Integer) args[1];
                    return repository.list(caller.tenantId(), filter, (KeysetCursor) args[0], limit + 1).collectList()
                            .map(rows -> {
                                if (rows.size() <= limit) {
                                    return new CursorPage<>(rows, null);
                                }
                                List<Contact> page = new ArrayList<>(rows.subList(0, limit));
                                Contact last = page.getLast();
                                return new CursorPage<>(page,
                                        new KeysetCursor(CONTACTS_CURSOR, last.createdAt(), last.id()).encode());
                            });
                });
    }

    Mono<Contact> get(ConversaPrincipal caller, UUID id) {
        return repository.find(caller.tenantId(), id).switchIfEmpty(Mono.error(() -> ApiException.notFound("contact",
                id)));
    }

    /** Creates a contact; 409 (with the existing {@code contactId}) when the tenant has the phone already. */
    Mono<Contact> create(ConversaPrincipal caller, ContactRequest request) {
        return Mono.fromCallable(() -> {
            request.validate(true);
            return phone(request);
        }).flatMap(phone -> repository.insert(Uuids.v7(), caller.tenantId(), phone, blankToNull(request.name()),
                        request.attributes() == null ? Map.of() : request.attributes(),
                        ContactRequest.distinct(request.groups()), ContactRequest.distinct(request.tags()),
                        clock.instant())
                .switchIfEmpty(Mono.defer(() -> repository.idOfPhone(caller.tenantId(), phone)
                        .flatMap(existing -> Mono.error(ApiException.conflict("a contact with this phone exists")
                                .with("contactId", existing))))));
    }

    /** Replaces the fields present if {@code ifMatch} names the current version: 428 without it, 412 when stale. */
    Mono<Contact> patch(ConversaPrincipal caller, UUID id, @Nullable String ifMatch, ContactRequest patch) {
        return Mono.fromCallable(() -> {
            if (ifMatch == null || ifMatch.isBlank()) {
                throw new ApiException(HttpStatus.PRECONDITION_REQUIRED, ProblemTypes.of("precondition-required"),
                        "Precondition required", "send If-Match with the contact's ETag (its version) to change it");
            }
            if (patch.phone() != null) {
                throw ContactRequest.invalid(Map.of("phone", "cannot change; create another contact"));
            }
            patch.validate(false);
            return version(ifMatch);
        }).flatMap(version -> get(caller, id).flatMap(current -> {
            if (version != current.version()) {
                return Mono.error(stale(current.version()));
            }
            return repository.update(caller.tenantId(), id, version, blankToNull(patch.name()), patch.name() != null,
                            patch.attributes(), patch.groups() == null ? null : ContactRequest.distinct(patch.groups()),
                            patch.tags() == null ? null : ContactRequest.distinct(patch.tags()), clock.instant())
                    .switchIfEmpty(Mono.defer(() -> get(caller, id).flatMap(now -> Mono.error(stale(now.version())))));
        }));
    }

    Mono<Void> delete(ConversaPrincipal caller, UUID id) {
        return repository.delete(caller.tenantId(), id)
                .flatMap(deleted -> deleted == 0 ? Mono.error(ApiException.notFound("contact", id)) : Mono.empty());
    }

    Mono<Contact> optOut(ConversaPrincipal caller, UUID id, boolean optedOut) {
        return repository.setOptOut(caller.tenantId(), id, optedOut, optedOut ? "api:" + caller.userId() : null,
                        clock.instant())
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("contact", id)));
    }

    private String phone(ContactRequest request) {
        String region = request.defaultRegion() == null ? properties.defaultRegion()
                : request.defaultRegion().strip().toUpperCase(java.util.Locale.ROOT);
        PhoneNormalizer.Result result = phones.normalize(request.phone(), region);
        if (!result.valid()) {
            throw ContactRequest.invalid(Map.of("phone", result.error()));
        }
        return result.e164();
    }

    private static @Nullable String blankToNull(@Nullable String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static long version(String ifMatch) {
        String value = ifMatch.strip();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        try {
            return Long.parseLong(value);
        }
        catch (NumberFormatException e) {
            return -1;
        }
    }

    private static ApiException stale(long currentVersion) {
        return new ApiException(HttpStatus.PRECONDITION_FAILED, ProblemTypes.of("precondition-failed"),
                "Precondition failed", "the contact changed; it is now at version " + currentVersion
                        + ". Read it again and retry").with("currentVersion", currentVersion);
    }
}
