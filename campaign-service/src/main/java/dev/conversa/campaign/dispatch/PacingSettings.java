package dev.conversa.campaign.dispatch;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

import dev.conversa.web.problem.ApiException;
import dev.conversa.web.problem.ProblemTypes;

/**
 * A session's pace as the API shows and takes it ({@code PUT} reads only the first five fields).
 *
 * @param messagesPerMinute the session's pace, shared by every campaign sending from it (1–6000)
 * @param jitterPercent     random variation of each gap, ± this percentage of the mean gap (0–100)
 * @param dailyCap          most sends per day (≥ 1)
 * @param warmupDays        days over which a new number's cap grows from {@code warmupStartCap} to
 *                          {@code dailyCap} (0 = no warm-up)
 * @param warmupStartCap    the cap on a new number's first day (≥ 1)
 */
record PacingSettings(
        @Nullable Integer messagesPerMinute,
        @Nullable Integer jitterPercent,
        @Nullable Integer dailyCap,
        @Nullable Integer warmupDays,
        @Nullable Integer warmupStartCap,
        @Nullable UUID sessionId,
        @Nullable LocalDate firstSendOn,
        @Nullable Instant nextSendAt,
        @Nullable LocalDate day,
        @Nullable Integer sentOnDay,
        @Nullable Integer capToday) {

    /** Checks a PUT body: every field given and in range; 400 with the field errors otherwise. */
    PacingSettings validated() {
        List<Map<String, String>> errors = new ArrayList<>();
        check(errors, "messagesPerMinute", messagesPerMinute, 1, 6000);
        check(errors, "jitterPercent", jitterPercent, 0, 100);
        check(errors, "dailyCap", dailyCap, 1, Integer.MAX_VALUE);
        check(errors, "warmupDays", warmupDays, 0, 365);
        check(errors, "warmupStartCap", warmupStartCap, 1, Integer.MAX_VALUE);
        if (!errors.isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, ProblemTypes.VALIDATION, "Bad request",
                    "The request has invalid fields").with("errors", errors);
        }
        return this;
    }

    private static void check(List<Map<String, String>> errors, String field, @Nullable Integer value, int min,
            int max) {
        if (value == null || value < min || value > max) {
            errors.add(Map.of("field", field, "message", max == Integer.MAX_VALUE ? "must be at least " + min
                    : "must be between " + min + " and " + max));
        }
    }
}
