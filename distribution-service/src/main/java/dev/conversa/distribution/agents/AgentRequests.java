package dev.conversa.distribution.agents;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.conversa.distribution.api.Validation;

/** Bodies of the agents API. */
final class AgentRequests {

    static final int MAX_CAPACITY = 1000;
    static final int MAX_SKILLS = 50;
    static final int MAX_NAME = 64;

    private AgentRequests() {
    }

    /** {@code PUT /api/v1/agents/me/status}: {@code online}, {@code away}, {@code busy} or {@code offline}. */
    record StatusChange(@Nullable String status) {

        void validate() {
            new Validation()
                    .require(status != null && Agent.STATUSES.contains(status), "status",
                            "must be one of " + Agent.STATUSES)
                    .check();
        }
    }

    /** {@code PATCH /api/v1/agents/{userId}}: absent fields stay; {@code team: ""} removes the team. */
    record Patch(@Nullable String displayName, @Nullable Integer maxConcurrent, @Nullable List<String> skills,
            @Nullable String team) {

        void validate() {
            new Validation()
                    .require(displayName == null || (!displayName.isBlank() && displayName.length() <= 200),
                            "displayName", "must be 1 to 200 characters")
                    .require(maxConcurrent == null || (maxConcurrent >= 0 && maxConcurrent <= MAX_CAPACITY),
                            "maxConcurrent", "must be between 0 and " + MAX_CAPACITY)
                    .require(skills == null || (skills.size() <= MAX_SKILLS && skills.stream()
                                    .allMatch(s -> s != null && !s.isBlank() && s.length() <= MAX_NAME)),
                            "skills", "at most " + MAX_SKILLS + " names of 1 to " + MAX_NAME + " characters")
                    .require(team == null || team.length() <= MAX_NAME, "team",
                            "must be at most " + MAX_NAME + " characters")
                    .require(displayName != null || maxConcurrent != null || skills != null || team != null,
                            "body", "must change at least one field")
                    .check();
        }
    }
}
