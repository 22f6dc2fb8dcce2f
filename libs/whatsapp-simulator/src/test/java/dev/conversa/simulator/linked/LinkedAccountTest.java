package dev.conversa.simulator.linked;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import reactor.test.StepVerifier;

class LinkedAccountTest {

    private int connections;

    @Test
    void framesWaitInTheQueueWhileTheConnectionBufferIsFullAndFollowInOrderAsItDrains() {
        LinkedAccount account = new LinkedAccount("5491100000001", 100);
        DeviceConnection connection = open(16);
        account.attach(connection, pending -> "open:" + pending);
        List<String> messages = IntStream.rangeClosed(1, 40).mapToObj(i -> "m" + i).toList();
        messages.forEach(message -> deliver(account, message));

        assertThat(connection.buffered()).isEqualTo(16);
        assertThat(account.queued()).isEqualTo(25);
        StepVerifier.create(connection.frames())
                .expectNext("open:0")
                .expectNextSequence(messages)
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(account.queued()).isZero();
        assertThat(account.dropped()).isZero();
    }

    @Test
    void fullQueueDropsTheOldestFramesAndCountsThem() {
        LinkedAccount account = new LinkedAccount("5491100000001", 5);
        IntStream.rangeClosed(1, 7).forEach(i -> deliver(account, "m" + i));
        assertThat(account.queued()).isEqualTo(5);
        assertThat(account.dropped()).isEqualTo(2);

        DeviceConnection connection = open(64);
        account.attach(connection, pending -> "open:" + pending);
        StepVerifier.create(connection.frames())
                .expectNext("open:5", "m3", "m4", "m5", "m6", "m7")
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void framesGoToTheNewestLiveConnectionAndBackToTheOlderWhenItLeaves() {
        LinkedAccount account = new LinkedAccount("5491100000001", 10);
        DeviceConnection older = open(64);
        DeviceConnection newer = open(64);
        account.attach(older, pending -> "open");
        account.attach(newer, pending -> "open");
        deliver(account, "to-newer");
        account.detach(newer);
        deliver(account, "to-older");

        StepVerifier.create(older.frames()).expectNext("open", "to-older").thenCancel().verify();
        StepVerifier.create(newer.frames()).expectNext("open", "to-newer").thenCancel().verify();
    }

    @Test
    void revokingTheLastDeviceEmptiesTheQueue() {
        LinkedAccount account = new LinkedAccount("5491100000001", 10);
        account.deviceLinked();
        account.deviceLinked();
        deliver(account, "m1");
        assertThat(account.deviceRevoked()).isEqualTo(1);
        assertThat(account.queued()).isEqualTo(1);
        assertThat(account.deviceRevoked()).isZero();
        assertThat(account.queued()).isZero();
    }

    @Test
    void closingConnectionTakesNoMoreMessages() {
        LinkedAccount account = new LinkedAccount("5491100000001", 10);
        DeviceConnection connection = open(64);
        account.attach(connection, pending -> "open");
        connection.finish("bye");
        deliver(account, "m1");
        assertThat(account.queued()).isEqualTo(1);
    }

    @Test
    void unacknowledgedFramesGoBackToTheHeadOfTheQueueInWriteOrderWhenTheirConnectionEnds() {
        LinkedAccount account = linked(10);
        DeviceConnection first = open(64);
        account.attach(first, pending -> "open:" + pending);
        IntStream.rangeClosed(1, 4).forEach(i -> deliver(account, "m" + i));
        account.acknowledge(first, List.of("m2", "m4"));
        assertThat(account.unacknowledged()).isEqualTo(2);

        account.detach(first);
        deliver(account, "m5");
        assertThat(account.queued()).isEqualTo(3);
        assertThat(account.unacknowledged()).isZero();

        DeviceConnection second = open(64);
        account.attach(second, pending -> "open:" + pending);
        StepVerifier.create(second.frames())
                .expectNext("open:3", "m1", "m3", "m5")
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(account.redelivered()).isEqualTo(2);
        assertThat(account.unacknowledged()).isEqualTo(3);
        assertThat(account.dropped()).isZero();
    }

    @Test
    void unacknowledgedAndQueuedFramesShareTheCapacityAndTheOldestIsDropped() {
        LinkedAccount account = linked(3);
        DeviceConnection first = open(64);
        account.attach(first, pending -> "open");
        IntStream.rangeClosed(1, 4).forEach(i -> deliver(account, "m" + i));
        assertThat(account.unacknowledged()).isEqualTo(3);
        assertThat(account.dropped()).isEqualTo(1);

        account.detach(first);
        deliver(account, "m5");
        assertThat(account.queued()).isEqualTo(3);
        assertThat(account.dropped()).isEqualTo(2);

        DeviceConnection second = open(64);
        account.attach(second, pending -> "open:" + pending);
        StepVerifier.create(second.frames())
                .expectNext("open:3", "m3", "m4", "m5")
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void ackOnlyCountsOnTheConnectionTheFrameWasWrittenTo() {
        LinkedAccount account = linked(10);
        DeviceConnection older = open(64);
        DeviceConnection newer = open(64);
        account.attach(older, pending -> "open");
        account.attach(newer, pending -> "open");
        deliver(account, "m1");
        account.acknowledge(older, List.of("m1", "unknown"));
        assertThat(account.unacknowledged()).isEqualTo(1);
        account.acknowledge(newer, List.of("m1"));
        account.acknowledge(newer, List.of("m1"));
        assertThat(account.unacknowledged()).isZero();
    }

    @Test
    void framesLeftByAClosedConnectionMoveToTheOtherLiveConnectionAheadOfNewOnes() {
        LinkedAccount account = linked(10);
        DeviceConnection older = open(64);
        DeviceConnection newer = open(64);
        account.attach(older, pending -> "open");
        account.attach(newer, pending -> "open");
        deliver(account, "m1");
        account.detach(newer);
        deliver(account, "m2");
        StepVerifier.create(older.frames()).expectNext("open", "m1", "m2").thenCancel().verify();
    }

    @Test
    void receiptForADeviceWhoseConnectionIsNotLiveIsQueuedAndRedeliveredAfterOpen() {
        LinkedAccount account = linked(10);
        DeviceConnection notAttached = open(64);
        assertThat(account.deliverTo(notAttached, "wamid.1:sent", "r1")).isEqualTo(LinkedAccount.Outcome.GONE);
        assertThat(account.queued()).isEqualTo(1);

        DeviceConnection connection = open(64);
        account.attach(connection, pending -> "open:" + pending);
        assertThat(account.deliverTo(connection, "wamid.1:delivered", "r2")).isEqualTo(LinkedAccount.Outcome.WRITTEN);
        assertThat(account.unacknowledged()).isEqualTo(2);
        StepVerifier.create(connection.frames()).expectNext("open:1", "r1", "r2").thenCancel().verify();
    }

    @Test
    void revokingTheLastDeviceDiscardsUnacknowledgedFramesEvenOnesWrittenWhileItsConnectionWasClosing() {
        LinkedAccount account = linked(10);
        DeviceConnection connection = open(64);
        account.attach(connection, pending -> "open");
        deliver(account, "m1");
        assertThat(account.unacknowledged()).isEqualTo(1);
        assertThat(account.deviceRevoked()).isZero();
        assertThat(account.unacknowledged()).isZero();
        deliver(account, "m2");
        account.detach(connection);
        assertThat(account.queued()).isZero();
        assertThat(account.unacknowledged()).isZero();
    }

    private static LinkedAccount linked(int capacity) {
        LinkedAccount account = new LinkedAccount("5491100000001", capacity);
        account.deviceLinked();
        return account;
    }

    /** A frame whose text is also its delivery id. */
    private static void deliver(LinkedAccount account, String frame) {
        account.deliver(frame, frame);
    }

    private DeviceConnection open(int outboundBuffer) {
        DeviceConnection connection = new DeviceConnection("c" + ++connections, Instant.now(), null, outboundBuffer);
        synchronized (connection) {
            connection.state(DeviceConnection.State.OPEN);
        }
        return connection;
    }
}
