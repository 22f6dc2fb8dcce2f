package dev.conversa.campaign.campaigns;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

import dev.conversa.campaign.template.CampaignMessage;
import dev.conversa.web.problem.ApiException;
import dev.conversa.web.problem.ProblemTypes;

/** A valid campaign definition: what {@link CampaignRequest} becomes once every field was checked. */
record CampaignDefinition(
        String name,
        List<UUID> sessionIds,
        CampaignRequest.Audience audience,
        CampaignMessage message,
        @Nullable Instant startsAt,
        ZoneId timeZone,
        @Nullable LocalTime windowStart,
        @Nullable LocalTime windowEnd,
        Set<Integer> days,
        int maxAttempts) {

    static final int MAX_NAME = 200;
    static final int MAX_SESSIONS = 50;
    static final int MAX_AUDIENCE_ITEMS = 10_000;
    static final int DEFAULT_MAX_ATTEMPTS = 3;
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    /** Checks every field; 400 with one entry per invalid field otherwise. */
    static CampaignDefinition of(CampaignRequest request) {
        Map<String, String> errors = new LinkedHashMap<>();
        String name = request.name() == null ? "" : request.name().strip();
        if (name.isEmpty() || name.length() > MAX_NAME) {
            errors.put("name", "is required, at most " + MAX_NAME + " characters");
        }
        List<UUID> sessions = request.sessionIds() == null ? List.of()
                : List.copyOf(new LinkedHashSet<>(request.sessionIds().stream().filter(id -> id != null).toList()));
        if (sessions.isEmpty() || sessions.size() > MAX_SESSIONS) {
            errors.put("sessionIds", "give 1 to " + MAX_SESSIONS + " sessions to send from");
        }
        CampaignRequest.Audience audience = audience(request.audience(), errors);
        CampaignMessage message = request.message();
        if (message == null) {
            errors.put("message", "is required");
        }
        else {
            try {
                message.validate();
            }
            catch (IllegalArgumentException e) {
                errors.put("message", e.getMessage());
            }
        }
        CampaignRequest.Schedule schedule = request.schedule() == null
                ? new CampaignRequest.Schedule(null, null, null, null) : request.schedule();
        ZoneId zone = ZoneId.of("UTC");
        if (schedule.timeZone() != null) {
            try {
                zone = ZoneId.of(schedule.timeZone());
            }
            catch (DateTimeException e) {
                errors.put("schedule.timeZone", "is not an IANA time zone id (e.g. America/Mexico_City)");
            }
        }
        LocalTime start = null;
        LocalTime end = null;
        if (schedule.window() != null) {
            start = time(schedule.window().start(), "schedule.window.start", errors);
            end = time(schedule.window().end(), "schedule.window.end", errors);
            if (start != null && start.equals(end)) {
                errors.put("schedule.window", "start and end must differ (omit the window to send all day)");
            }
        }
        Set<Integer> days = new TreeSet<>(List.of(1, 2, 3, 4, 5, 6, 7));
        if (schedule.days() != null) {
            days = new TreeSet<>();
            for (Integer day : schedule.days()) {
                if (day == null || day < 1 || day > 7) {
                    errors.put("schedule.days", "are ISO days of the week, 1 (Monday) to 7 (Sunday)");
                }
                else {
                    days.add(day);
                }
            }
            if (days.isEmpty()) {
                errors.putIfAbsent("schedule.days", "give at least one day");
            }
        }
        int maxAttempts = request.maxAttempts() == null ? DEFAULT_MAX_ATTEMPTS : request.maxAttempts();
        if (maxAttempts < 1 || maxAttempts > 10) {
            errors.put("maxAttempts", "must be between 1 and 10");
        }
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        return new CampaignDefinition(name, sessions, audience, message, schedule.startsAt(), zone, start, end,
                Set.copyOf(days), maxAttempts);
    }

    /** The definition as a request (the base a PATCH applies to). */
    CampaignRequest toRequest() {
        CampaignRequest.Window window = windowStart == null ? null
                : new CampaignRequest.Window(windowStart.format(HH_MM), windowEnd.format(HH_MM));
        return new CampaignRequest(name, sessionIds, audience, message,
                new CampaignRequest.Schedule(startsAt, timeZone.getId(), window, new ArrayList<>(new TreeSet<>(days))),
                maxAttempts);
    }

    SendWindow window() {
        return new SendWindow(timeZone, windowStart, windowEnd, days);
    }

    private static CampaignRequest.Audience audience(CampaignRequest.@Nullable Audience audience,
            Map<String, String> errors) {
        List<String> groups = labels(audience == null ? null : audience.groups());
        List<String> tags = labels(audience == null ? null : audience.tags());
        List<UUID> ids = audience == null || audience.contactIds() == null ? List.of()
                : List.copyOf(new LinkedHashSet<>(audience.contactIds().stream().filter(id -> id != null).toList()));
        if (groups.isEmpty() && tags.isEmpty() && ids.isEmpty()) {
            errors.put("audience", "give groups, tags or contactIds");
        }
        if (groups.size() + tags.size() + ids.size() > MAX_AUDIENCE_ITEMS) {
            errors.put("audience", "at most " + MAX_AUDIENCE_ITEMS + " groups, tags and contact ids in all");
        }
        return new CampaignRequest.Audience(groups, tags, ids);
    }

    private static List<String> labels(@Nullable List<String> values) {
        if (values == null) {
            return List.of();
        }
        return List.copyOf(new LinkedHashSet<>(values.stream()
                .filter(value -> value != null && !value.isBlank()).map(String::strip).toList()));
    }

    private static @Nullable LocalTime time(@Nullable String value, String field, Map<String, String> errors) {
        if (value == null) {
            errors.put(field, "is required (HH:mm)");
            return null;
        }
        try {
            return LocalTime.parse(value, HH_MM);
        }
        catch (DateTimeParseException e) {
            errors.put(field, "must be HH:mm, e.g. 09:00");
            return null;
        }
    }

    static ApiException invalid(Map<String, String> errors) {
        List<Map<String, String>> list = new ArrayList<>();
        errors.forEach((field, message) -> list.add(Map.of("field", field, "message", message)));
        return new ApiException(HttpStatus.BAD_REQUEST, ProblemTypes.VALIDATION, "Bad request",
                "The request has invalid fields").with("errors", list);
    }
}
