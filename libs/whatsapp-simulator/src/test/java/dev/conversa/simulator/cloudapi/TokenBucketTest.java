package dev.conversa.simulator.cloudapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private final AtomicLong nanos = new AtomicLong();

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    @Test
    void aFullBucketAllowsItsCapacityAtOnceThenRefuses() {
        TokenBucket bucket = TokenBucket.perSecond(3, 1, nanos::get);

        assertThat(bucket.tryAcquire()).isTrue();
        assertThat(bucket.tryAcquire()).isTrue();
        assertThat(bucket.tryAcquire()).isTrue();
        assertThat(bucket.tryAcquire()).isFalse();
    }

    @Test
    void tokensComeBackAtTheRate() {
        // the pair rate: one per 6 s, bursts of 45
        TokenBucket bucket = new TokenBucket(45, Duration.ofSeconds(6).toNanos(), nanos::get);
        for (int i = 0; i < 45; i++) {
            assertThat(bucket.tryAcquire()).isTrue();
        }
        assertThat(bucket.tryAcquire()).isFalse();

        advance(Duration.ofSeconds(5));
        assertThat(bucket.tryAcquire()).isFalse();
        advance(Duration.ofSeconds(1));
        assertThat(bucket.tryAcquire()).isTrue();
        assertThat(bucket.tryAcquire()).isFalse();
    }

    @Test
    void aBorrowedBurstIsPaidBackBeforeTheBucketIsFullAgain() {
        TokenBucket bucket = new TokenBucket(45, Duration.ofSeconds(6).toNanos(), nanos::get);
        for (int i = 0; i < 20; i++) {
            bucket.tryAcquire();
        }

        advance(Duration.ofSeconds(119));
        assertThat(bucket.isFull()).isFalse();
        advance(Duration.ofSeconds(1));
        assertThat(bucket.isFull()).isTrue();
    }

    @Test
    void aRefundedTokenCanBeUsedAgain() {
        TokenBucket bucket = TokenBucket.perSecond(1, 1, nanos::get);
        assertThat(bucket.tryAcquire()).isTrue();

        bucket.refund();

        assertThat(bucket.tryAcquire()).isTrue();
        assertThat(bucket.tryAcquire()).isFalse();
    }
}
