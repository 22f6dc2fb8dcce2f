package dev.conversa.distribution.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Pure round robin with capacity and skills, per team: the waiting conversations, oldest first, each go to the next
 * agent after the team's pointer (agents in user id order, cyclically) who is free and has the needed skill. A
 * conversation of no team may go to any agent of the tenant (pointer of team {@code ""}). A conversation nobody can
 * take stays waiting; the ones behind it are still tried. No agent gets more than {@code capacity - active}.
 */
public final class RoundRobin {

    private RoundRobin() {
    }

    /** An agent who may take conversations: online, with {@code active} of {@code capacity} in use. */
    public record Candidate(String userId, String team, Set<String> skills, int capacity, int active) {
    }

    /** A conversation waiting for an agent. */
    public record Waiting(UUID conversationId, String team, @Nullable String skill) {
    }

    /** A decision: the conversation goes to the agent. */
    public record Pick(UUID conversationId, String agentId) {
    }

    /**
     * @param picks    decisions in the order of the waiting list
     * @param pointers the last agent picked per team, for the teams that moved
     * @param load     conversations added per agent
     */
    public record Result(List<Pick> picks, Map<String, String> pointers, Map<String, Integer> load) {
    }

    /**
     * @param waiting    oldest first
     * @param candidates the tenant's online agents (any order)
     * @param pointers   the last agent picked per team ({@code ""} for conversations of no team)
     */
    public static Result distribute(List<Waiting> waiting, List<Candidate> candidates, Map<String, String> pointers) {
        List<Candidate> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparing(Candidate::userId));
        Map<String, Integer> free = new HashMap<>();
        sorted.forEach(agent -> free.put(agent.userId(), Math.max(0, agent.capacity() - agent.active())));
        Map<String, List<Candidate>> pools = new HashMap<>();
        Map<String, String> moved = new LinkedHashMap<>();
        Map<String, Integer> load = new LinkedHashMap<>();
        List<Pick> picks = new ArrayList<>();
        int remaining = free.values().stream().mapToInt(Integer::intValue).sum();
        for (Waiting conversation : waiting) {
            if (remaining == 0) {
                break;
            }
            List<Candidate> pool = pools.computeIfAbsent(conversation.team(), team -> team.isEmpty() ? sorted
                    : sorted.stream().filter(agent -> team.equals(agent.team())).toList());
            if (pool.isEmpty()) {
                continue;
            }
            String last = moved.containsKey(conversation.team()) ? moved.get(conversation.team())
                    : pointers.get(conversation.team());
            int start = startAfter(pool, last);
            for (int i = 0; i < pool.size(); i++) {
                Candidate agent = pool.get((start + i) % pool.size());
                if (free.get(agent.userId()) > 0
                        && (conversation.skill() == null || agent.skills().contains(conversation.skill()))) {
                    free.merge(agent.userId(), -1, Integer::sum);
                    load.merge(agent.userId(), 1, Integer::sum);
                    moved.put(conversation.team(), agent.userId());
                    picks.add(new Pick(conversation.conversationId(), agent.userId()));
                    remaining--;
                    break;
                }
            }
        }
        return new Result(picks, moved, load);
    }

    /** Index of the first agent after {@code last} in user id order (0 when there is no pointer). */
    private static int startAfter(List<Candidate> pool, @Nullable String last) {
        if (last == null) {
            return 0;
        }
        for (int i = 0; i < pool.size(); i++) {
            if (pool.get(i).userId().compareTo(last) > 0) {
                return i;
            }
        }
        return 0;
    }
}
