package dev.conversa.simulator.linked;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import dev.conversa.simulator.ban.BanModel;
import dev.conversa.simulator.ban.BanProperties;
import dev.conversa.simulator.core.FaultInjector;
import dev.conversa.simulator.core.OutboundService;
import dev.conversa.simulator.core.ReceiptProperties;
import dev.conversa.simulator.core.ReceiptScheduler;
import dev.conversa.simulator.media.MediaProperties;
import dev.conversa.simulator.media.MediaStore;
import dev.conversa.simulator.phone.ContactLedger;
import dev.conversa.simulator.phone.PhoneBook;
import dev.conversa.simulator.phone.PhoneProperties;
import dev.conversa.simulator.truth.GroundTruth;
import reactor.test.StepVerifier;

/** The send path without a socket: a live device's connection is read directly. */
class LinkedSendsTest {

    private final Clock clock = Clock.systemUTC();
    private final PhoneBook phones = new PhoneBook(new PhoneProperties(true), clock);
    private final BanModel bans = new BanModel(new BanProperties(true, 600, 0.95, 200, Duration.ofSeconds(30)),
            new ContactLedger(), clock);
    private final FaultInjector faults = new FaultInjector();
    private final GroundTruth truth = new GroundTruth();
    private final OutboundService outbound = new OutboundService(bans, truth,
            new ReceiptScheduler(new ReceiptProperties(Duration.ofMillis(20), Duration.ZERO), faults, phones, clock),
            phones, clock);
    private final FrameCodec codec = LinkedTestSupport.codec();
    private final LinkedDeviceRegistry registry = new LinkedDeviceRegistry(LinkedTestSupport.properties(100, 64),
            codec, clock);
    private final LinkedSends sends = new LinkedSends(outbound, faults, registry, codec, new MediaStore(
            new MediaProperties(DataSize.ofMegabytes(1), Duration.ofMinutes(5), null), clock));

    @Test
    void sendOfABannedNumberIsAckedWithError403AndNotRecorded() {
        LinkedDevice device = registry.link("5491100000001", "Shop");
        DeviceConnection connection = online(device);
        bans.ban(device.number(), "test");

        sends.send(connection, text("key-1"));

        StepVerifier.create(connection.frames())
                .expectNext("open")
                .expectNext("{\"type\":\"ack\",\"clientRef\":\"key-1\",\"error\":{\"code\":403,\"reason\":\"banned\"}}")
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(truth.sends(device.number(), "key-1").count()).isZero();
    }

    @Test
    void sendRecordsTheDeviceAsTheSenderOnTheLinkedChannel() {
        LinkedDevice device = registry.link("5491100000002", "Shop");
        DeviceConnection connection = online(device);

        sends.send(connection, text("key-2"));

        StepVerifier.create(connection.frames())
                .expectNext("open")
                .assertNext(ack -> assertThat(ack).startsWith("{\"type\":\"ack\",\"clientRef\":\"key-2\""))
                .assertNext(receipt -> assertThat(receipt).contains("\"status\":\"sent\""))
                .assertNext(receipt -> assertThat(receipt).contains("\"status\":\"delivered\""))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(truth.sends(device.number(), "key-2").count()).isEqualTo(1);
    }

    private DeviceConnection online(LinkedDevice device) {
        DeviceConnection connection = registry.connect(null);
        synchronized (connection) {
            connection.open(device);
        }
        device.replaceLive(connection);
        device.account().attach(connection, pending -> "open");
        return connection;
    }

    private static DeviceFrame.Send text(String clientRef) {
        return new DeviceFrame.Send(clientRef, "5491155550000",
                new DeviceFrame.OutgoingMessage("text", "hola", null, null, null, null, null, null, null, null, null));
    }
}
