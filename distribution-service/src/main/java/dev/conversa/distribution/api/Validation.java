package dev.conversa.distribution.api;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;

import dev.conversa.web.problem.ApiException;
import dev.conversa.web.problem.ProblemTypes;

/** Collects field errors of a request body; {@link #check()} throws 400 (type validation) with all of them. */
public final class Validation {

    private final Map<String, String> errors = new LinkedHashMap<>();

    public Validation require(boolean valid, String field, String message) {
        if (!valid) {
            errors.putIfAbsent(field, message);
        }
        return this;
    }

    public void check() {
        if (!errors.isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, ProblemTypes.VALIDATION, "Invalid request",
                    "The request has invalid fields: " + String.join(", ", errors.keySet()))
                    .with("errors", errors);
        }
    }

    /** 412 when {@code If-Match} names another version than {@code version}. */
    public static void ifMatch(String ifMatch, long version) {
        if (ifMatch != null && !ifMatch.strip().replace("W/", "").replace("\"", "").equals(Long.toString(version))) {
            throw new ApiException(HttpStatus.PRECONDITION_FAILED, ProblemTypes.forStatus(
                    HttpStatus.PRECONDITION_FAILED), "Precondition failed",
                    "the resource changed: its version is " + version).with("currentVersion", version);
        }
    }
}
