package dev.conversa.distribution.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.conversa.distribution.engine.AssignmentEngine.Queued;
import dev.conversa.distribution.routing.RoundRobin;

class QueueOrderTest {

    private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 2, 1, 10, 0, 0, 0, ZoneOffset.UTC);

    @Test
    void newConversationsJoinTheQueueByWhenTheyOpenedBehindWaitingOnesOfTheSameTime() {
        Queued waiting1 = queued("w1", 0, false);
        Queued waiting2 = queued("w2", 10, false);
        Queued fresh1 = queued("f1", 5, true);
        Queued fresh2 = queued("f2", 10, true);
        Queued fresh3 = queued("f3", 10, true);

        List<Queued> order = AssignmentEngine.queueOrder(List.of(waiting1, waiting2), List.of(fresh1, fresh2, fresh3),
                false);

        assertThat(order).containsExactly(waiting1, fresh1, waiting2, fresh2, fresh3);
    }

    @Test
    void whenTheQueueWasReadOnlyInPartNewConversationsYoungerThanTheLastReadOneKeepWaiting() {
        Queued waiting1 = queued("w1", 0, false);
        Queued waiting2 = queued("w2", 10, false);
        Queued older = queued("f1", 5, true);
        Queued younger = queued("f2", 11, true);

        List<Queued> order = AssignmentEngine.queueOrder(List.of(waiting1, waiting2), List.of(older, younger), true);

        assertThat(order).containsExactly(waiting1, older, waiting2);
    }

    private static Queued queued(String name, int seconds, boolean fresh) {
        return new Queued(new RoundRobin.Waiting(UUID.nameUUIDFromBytes(name.getBytes()), "", null),
                T0.plusSeconds(seconds), fresh);
    }
}
