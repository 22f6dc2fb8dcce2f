package dev.conversa.web.id;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class UuidsTest {

    @Test
    void v7HasVersionSevenAndRfcVariant() {
        for (int i = 0; i < 1_000; i++) {
            UUID id = Uuids.v7();
            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2);
        }
    }

    @Test
    void v7CarriesTheCurrentUnixMillisecondsInItsFirst48Bits() {
        long before = System.currentTimeMillis();
        UUID id = Uuids.v7();
        long after = System.currentTimeMillis();

        long millis = id.getMostSignificantBits() >>> 16;
        assertThat(millis).isBetween(before, after);
    }

    @Test
    void v7IdsMadeInSuccessiveMillisecondsSortIncreasing() throws InterruptedException {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(Uuids.v7());
            awaitNextMillisecond();
        }
        for (int i = 1; i < ids.size(); i++) {
            UUID previous = ids.get(i - 1);
            UUID next = ids.get(i);
            assertThat(Long.compareUnsigned(next.getMostSignificantBits(), previous.getMostSignificantBits()))
                    .as("%s after %s", next, previous).isPositive();
            assertThat(next.toString()).as("string order").isGreaterThan(previous.toString());
        }
    }

    @Test
    void v7IsUniqueOverManyIds() {
        int count = 200_000;
        Set<UUID> ids = new HashSet<>(count * 2);
        for (int i = 0; i < count; i++) {
            ids.add(Uuids.v7());
        }
        assertThat(ids).hasSize(count);
    }

    @Test
    void namedIsDeterministicForTheSameParts() {
        UUID first = Uuids.named("stored", "0b6f8f0e-3f6c-4d1e-9d55-6d4f2b1a7c10", "delivered");
        UUID again = Uuids.named("stored", "0b6f8f0e-3f6c-4d1e-9d55-6d4f2b1a7c10", "delivered");
        assertThat(again).isEqualTo(first);
        assertThat(first.version()).isEqualTo(3);
        assertThat(first.variant()).isEqualTo(2);
    }

    @Test
    void namedDiffersForDifferentParts() {
        UUID delivered = Uuids.named("stored", "m-1", "delivered");
        assertThat(Uuids.named("stored", "m-1", "read")).isNotEqualTo(delivered);
        assertThat(Uuids.named("stored", "m-2", "delivered")).isNotEqualTo(delivered);
        assertThat(Uuids.named("received", "m-1", "delivered")).isNotEqualTo(delivered);
        assertThat(Uuids.named("stored", "m-1")).isNotEqualTo(delivered);
    }

    private static void awaitNextMillisecond() throws InterruptedException {
        long now = System.currentTimeMillis();
        while (System.currentTimeMillis() == now) {
            Thread.sleep(1);
        }
    }
}
