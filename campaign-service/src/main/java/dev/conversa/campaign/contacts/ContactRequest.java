package dev.conversa.campaign.contacts;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

import dev.conversa.web.problem.ApiException;
import dev.conversa.web.problem.ProblemTypes;

/**
 * The body of {@code POST} (all of it) and {@code PATCH} (what is present replaces what is stored) of a contact.
 * {@code defaultRegion} reads a number written without {@code +}; groups and tags are names without {@code |}.
 */
record ContactRequest(@Nullable String phone, @Nullable String name, @Nullable Map<String, Object> attributes,
        @Nullable List<String> groups, @Nullable List<String> tags, @Nullable String defaultRegion) {

    static final int MAX_LABELS = 50;
    static final int MAX_TEXT = 200;

    /** Checks the fields present; 400 with every field error at once. */
    void validate(boolean creating) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (creating && (phone == null || phone.isBlank())) {
            errors.put("phone", "is required");
        }
        if (name != null && name.length() > MAX_TEXT) {
            errors.put("name", "must be at most " + MAX_TEXT + " characters");
        }
        if (attributes != null && attributes.size() > 100) {
            errors.put("attributes", "at most 100 attributes");
        }
        labels("groups", groups, errors);
        labels("tags", tags, errors);
        if (defaultRegion != null && !PhoneNormalizer.isRegion(defaultRegion)) {
            errors.put("defaultRegion", "must be a region code such as ES, MX or AR");
        }
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
    }

    static List<String> distinct(@Nullable List<String> labels) {
        return labels == null ? List.of()
                : List.copyOf(new LinkedHashSet<>(labels.stream().map(String::strip).toList()));
    }

    static ApiException invalid(Map<String, String> errors) {
        List<Map<String, String>> list = new java.util.ArrayList<>();
        errors.forEach((field, message) -> list.add(Map.of("field", field, "message", message)));
        return new ApiException(HttpStatus.BAD_REQUEST, ProblemTypes.VALIDATION, "Bad request",
                "The request has invalid fields").with("errors", list);
    }

    private static void labels(String field, @Nullable List<String> labels, Map<String, String> errors) {
        if (labels == null) {
            return;
        }
        if (labels.size() > MAX_LABELS) {
            errors.put(field, "at most " + MAX_LABELS);
            return;
        }
        for (String label : labels) {
            if (label == null || label.isBlank() || label.contains("|") || label.length() > 100) {
                errors.put(field, "names must be 1-100 characters, without '|'");
                return;
            }
        }
    }
}
