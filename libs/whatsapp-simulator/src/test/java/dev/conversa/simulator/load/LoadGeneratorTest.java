package dev.conversa.simulator.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoadGeneratorTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 99, 100, 101, 20_000, 33_333})
    void slicesOfOneSecondAddUpToTheRateExactly(int rate) {
        int sum = 0;
        for (long tick = 0; tick < 100; tick++) {
            int slice = LoadGenerator.slice(rate, tick);
            assertThat(slice).isBetween(rate / 100, rate / 100 + 1);
            sum += slice;
        }
        assertThat(sum).isEqualTo(rate);
    }

    @Test
    void refusesLoadWithoutNumbersOrBeyondLimits() {
        assertThatIllegalArgumentException().isThrownBy(() -> new LoadRequest(10, List.of(), 1, null, null));
        assertThatIllegalArgumentException().isThrownBy(() -> new LoadRequest(0, List.of("5491100000001"), 1, null,
                null));
        assertThatIllegalArgumentException().isThrownBy(() -> new LoadRequest(10, List.of("5491100000001"), 0, null,
                null));
    }
}
