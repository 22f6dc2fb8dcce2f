package dev.conversa.distribution.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.conversa.distribution.routing.RoundRobin.Candidate;
import dev.conversa.distribution.routing.RoundRobin.Pick;
import dev.conversa.distribution.routing.RoundRobin.Waiting;

class RoundRobinTest {

    @Test
    void conversationsGoToAgentsInTurnStartingAfterThePointer() {
        List<Candidate> agents = List.of(agent("c", 10, 0), agent("a", 10, 0), agent("b", 10, 0));

        RoundRobin.Result result = RoundRobin.distribute(waiting(5, "", null), agents, Map.of("", "a"));

        assertThat(result.picks()).extracting(Pick::agentId).containsExactly("b", "c", "a", "b", "c");
        assertThat(result.pointers()).containsEntry("", "c");
        assertThat(result.load()).containsEntry("a", 1).containsEntry("b", 2).containsEntry("c", 2);
    }

    @Test
    void noAgentGetsMoreThanItsFreeSlotsAndTheRestKeepsWaiting() {
        List<Candidate> agents = List.of(agent("a", 3, 2), agent("b", 2, 0), agent("c", 5, 5));

        RoundRobin.Result result = RoundRobin.distribute(waiting(10, "", null), agents, Map.of());

        assertThat(result.picks()).hasSize(3);
        assertThat(result.load()).containsExactlyInAnyOrderEntriesOf(Map.of("a", 1, "b", 2));
    }

    @Test
    void thousandConversationsOnTenEmptyAgentsFillEachToExactlyItsCapacity() {
        List<Candidate> agents = IntStream.range(0, 10).mapToObj(i -> agent("agent-" + i, 10, 0)).toList();

        RoundRobin.Result result = RoundRobin.distribute(waiting(1000, "", null), agents, Map.of());

        assertThat(result.picks()).hasSize(100);
        assertThat(result.load().values()).containsOnly(10);
    }

    @Test
    void equalCapacitiesEndWithinOneOfEachOther() {
        List<Candidate> agents = new ArrayList<>();
        IntStream.range(0, 7).forEach(i -> agents.add(agent("x" + i, 20, 0)));
        Map<String, String> pointers = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        for (int round = 0; round < 9; round++) {
            RoundRobin.Result result = RoundRobin.distribute(waiting(3, "", null), current(agents, total), pointers);
            pointers.putAll(result.pointers());
            result.load().forEach((agent, n) -> total.merge(agent, n, Integer::sum));
        }
        int max = total.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        int min = agents.stream().mapToInt(a -> total.getOrDefault(a.userId(), 0)).min().orElseThrow();
        assertThat(max - min).isLessThanOrEqualTo(1);
    }

    @Test
    void aSkillIsServedOnlyByAgentsWhoHaveItAndOthersAreNotBlockedBehindIt() {
        List<Candidate> agents = List.of(
                new Candidate("a", "", Set.of("sales"), 10, 0),
                new Candidate("b", "", Set.of(), 10, 0));
        List<Waiting> queue = List.of(new Waiting(UUID.randomUUID(), "", "billing"),
                new Waiting(UUID.randomUUID(), "", "sales"), new Waiting(UUID.randomUUID(), "", "sales"),
                new Waiting(UUID.randomUUID(), "", null));

        RoundRobin.Result result = RoundRobin.distribute(queue, agents, Map.of());

        assertThat(result.picks()).extracting(Pick::conversationId)
                .containsExactly(queue.get(1).conversationId(), queue.get(2).conversationId(),
                        queue.get(3).conversationId());
        assertThat(result.picks()).extracting(Pick::agentId).containsExactly("a", "a", "b");
    }

    @Test
    void aTeamsConversationsGoOnlyToItsAgentsWithItsOwnPointer() {
        List<Candidate> agents = List.of(
                new Candidate("a", "support", Set.of(), 10, 0),
                new Candidate("b", "sales", Set.of(), 10, 0),
                new Candidate("c", "support", Set.of(), 10, 0));

        RoundRobin.Result result = RoundRobin.distribute(waiting(3, "support", null), agents,
                Map.of("support", "a", "", "c"));

        assertThat(result.picks()).extracting(Pick::agentId).containsExactly("c", "a", "c");
        assertThat(result.pointers()).containsExactly(Map.entry("support", "c"));
    }

    @Test
    void noCandidatesAssignsNothing() {
        assertThat(RoundRobin.distribute(waiting(3, "", null), List.of(), Map.of()).picks()).isEmpty();
    }

    private static List<Candidate> current(List<Candidate> agents, Map<String, Integer> load) {
        return agents.stream().map(a -> new Candidate(a.userId(), a.team(), a.skills(), a.capacity(),
                load.getOrDefault(a.userId(), 0))).toList();
    }

    private static Candidate agent(String id, int capacity, int active) {
        return new Candidate(id, "", Set.of(), capacity, active);
    }

    private static List<Waiting> waiting(int n, String team, String skill) {
        return IntStream.range(0, n).mapToObj(i -> new Waiting(UUID.randomUUID(), team, skill)).toList();
    }
}
