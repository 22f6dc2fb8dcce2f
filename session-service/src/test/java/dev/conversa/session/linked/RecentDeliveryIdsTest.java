package dev.conversa.session.linked;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class RecentDeliveryIdsTest {

    @Test
    void remembersHandledIds() {
        RecentDeliveryIds ids = new RecentDeliveryIds(10);
        ids.add("wamid.A");

        assertThat(ids.contains("wamid.A")).isTrue();
        assertThat(ids.contains("wamid.B")).isFalse();
        assertThat(ids.contains("wamid.A:sent")).isFalse();
    }

    @Test
    void forgetsTheOldestIdsBeyondItsCapacity() {
        RecentDeliveryIds ids = new RecentDeliveryIds(100);
        IntStream.range(0, 150).forEach(i -> ids.add("wamid." + i));

        assertThat(ids.size()).isEqualTo(100);
        assertThat(IntStream.range(0, 50).filter(i -> ids.contains("wamid." + i))).isEmpty();
        assertThat(IntStream.range(50, 150).allMatch(i -> ids.contains("wamid." + i))).isTrue();
    }

    @Test
    void hashesOfDistinctIdsDoNotCollide() {
        Set<Long> hashes = new HashSet<>();
        IntStream.range(0, 200_000).forEach(i -> hashes.add(RecentDeliveryIds.hash("wamid.HBgNNTQ5MTE1NTU1MDAwMBUCABIYF" + i)));

        assertThat(hashes).hasSize(200_000);
    }
}
