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
        messages.forEach(account::deliver);

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
        IntStream.rangeClosed(1, 7).forEach(i -> account.deliver("m" + i));
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
        account.deliver("to-newer");
        account.detach(newer);
        account.deliver("to-older");

        StepVerifier.create(older.frames()).expectNext("open", "to-older").thenCancel().verify();
        StepVerifier.create(newer.frames()).expectNext("open", "to-newer").thenCancel().verify();
    }

    @Test
    void revokingTheLastDeviceEmptiesTheQueue() {
        LinkedAccount account = new LinkedAccount("5491100000001", 10);
        account.deviceLinked();
        account.deviceLinked();
        account.deliver("m1");
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
        account.deliver("m1");
        assertThat(account.queued()).isEqualTo(1);
    }

    private DeviceConnection open(int outboundBuffer) {
        DeviceConnection connection = new DeviceConnection("c" + ++connections, Instant.now(), null, outboundBuffer);
        synchronized (connection) {
            connection.state(DeviceConnection.State.OPEN);
        }
        return connection;
    }
}
