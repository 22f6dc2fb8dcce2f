package dev.conversa.simulator.linked;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.conversa.simulator.core.FaultInjector;
import dev.conversa.simulator.core.OutboundRequest;
import dev.conversa.simulator.core.OutboundResult;
import dev.conversa.simulator.core.OutboundService;
import dev.conversa.simulator.core.Receipt;
import dev.conversa.simulator.media.MediaStore;
import reactor.core.publisher.Mono;

/**
 * A device's {@code send}: hands it to {@link OutboundService}, answers an {@code ack} on the same connection (late
 * or lost as the {@link FaultInjector} says) and forwards the message's receipts to the device, never before its ack.
 */
@Component
class LinkedSends {

    static final String CHANNEL = "linked";
    private static final Logger log = LoggerFactory.getLogger(LinkedSends.class);

    private final OutboundService outbound;
    private final FaultInjector faults;
    private final LinkedDeviceRegistry registry;
    private final FrameCodec codec;
    private final MediaStore media;

    LinkedSends(OutboundService outbound, FaultInjector faults, LinkedDeviceRegistry registry, FrameCodec codec,
            MediaStore media) {
        this.outbound = outbound;
        this.faults = faults;
        this.registry = registry;
        this.codec = codec;
        this.media = media;
    }

    void send(DeviceConnection connection, DeviceFrame.Send send) {
        String clientRef = send.clientRef();
        if (clientRef == null || clientRef.isBlank()) {
            registry.reply(connection, new ServerFrame.Error(400, "send needs a clientRef"));
            return;
        }
        LinkedDevice device = connection.device();
        if (connection.state() != DeviceConnection.State.OPEN || device == null) {
            registry.reply(connection, ServerFrame.Ack.refused(clientRef, 428, "Connection Closed"));
            return;
        }
        OutboundRequest request;
        try {
            request = request(device, send, clientRef);
        }
        catch (IllegalArgumentException e) {
            registry.reply(connection, ServerFrame.Ack.refused(clientRef, 400, e.getMessage()));
            return;
        }
        AckGate gate = new AckGate(connection, device);
        ServerFrame.Ack ack;
        try {
            ack = switch (outbound.accept(request, gate::receipt)) {
                case OutboundResult.Accepted accepted -> ServerFrame.Ack.accepted(clientRef,
                        accepted.message().waMessageId(), accepted.message().acceptedAt().toString());
                case OutboundResult.Banned banned -> ServerFrame.Ack.refused(clientRef, 403, "banned");
            };
        }
        catch (RuntimeException e) {
            log.warn("Send {} of device {} failed", clientRef, device.deviceId(), e);
            ack = ServerFrame.Ack.refused(clientRef, 500, "internal error");
        }
        String number = device.number();
        String frame = faults.drop(number) ? null : codec.write(ack);
        Duration latency = faults.latency(number);
        if (latency.isZero()) {
            gate.ack(frame);
        }
        else {
            Mono.delay(latency).subscribe(tick -> gate.ack(frame));
        }
    }

    private OutboundRequest request(LinkedDevice device, DeviceFrame.Send send, String clientRef) {
        String to = send.to();
        if (to == null || !to.matches("[1-9][0-9]{6,14}")) {
            throw new IllegalArgumentException("to must be digits with the country code, no +");
        }
        DeviceFrame.OutgoingMessage message = send.message();
        if (message == null || message.type() == null) {
            throw new IllegalArgumentException("send needs a message with a type");
        }
        String type = message.type();
        String text = switch (type) {
            case "text" -> required(message.text(), "a text message needs text");
            case "image", "document", "audio", "video" -> {
                String mediaId = required(message.mediaId(), "a " + type + " message needs a mediaId");
                if (media.find(mediaId).isEmpty()) {
                    throw new IllegalArgumentException("unknown mediaId " + mediaId
                            + ": upload the file to /linked/v1/media first");
                }
                yield message.caption();
            }
            case "location" -> {
                if (message.latitude() == null || message.longitude() == null) {
                    throw new IllegalArgumentException("a location message needs latitude and longitude");
                }
                yield message.name();
            }
            case "reaction" -> {
                required(message.waMessageId(), "a reaction needs the waMessageId it reacts to");
                yield message.emoji();
            }
            default -> throw new IllegalArgumentException("unsupported message type: " + type);
        };
        return new OutboundRequest(CHANNEL, device.number(), device.deviceId(), to, type, text, clientRef,
                message.mediaId());
    }

    private static String required(@Nullable String value, String message) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(message);
        }
        return value;
    }

    private ServerFrame.Receipt frame(Receipt receipt) {
        return ServerFrame.Receipt.of(receipt.waMessageId(), receipt.message().request().clientRef(),
                receipt.status().value(), receipt.at().toString(),
                receipt.errorCode() == null ? null
                        : new ServerFrame.ReceiptError(receipt.errorCode(), receipt.errorTitle()));
    }

    /** A receipt frame as JSON, with its {@code deliveryId}. */
    private record Encoded(String deliveryId, String text) {
    }

    /** Holds a send's receipts until its ack is written (or lost), so a device never sees a receipt first. */
    private final class AckGate {

        private final DeviceConnection connection;
        private final LinkedDevice device;
        private boolean acked;
        private @Nullable List<Encoded> held;

        AckGate(DeviceConnection connection, LinkedDevice device) {
            this.connection = connection;
            this.device = device;
        }

        void receipt(Receipt receipt) {
            ServerFrame.Receipt frame = frame(receipt);
            Encoded encoded = new Encoded(frame.deliveryId(), codec.write(frame));
            synchronized (this) {
                if (!acked) {
                    if (held == null) {
                        held = new ArrayList<>(2);
                    }
                    held.add(encoded);
                    return;
                }
                registry.toDevice(device, encoded.deliveryId(), encoded.text());
            }
        }

        /** Writes the ack ({@code null}: it was lost), then the receipts that came before it. */
        synchronized void ack(@Nullable String frame) {
            acked = true;
            if (frame != null) {
                registry.reply(connection, frame);
            }
            if (held != null) {
                held.forEach(receipt -> registry.toDevice(device, receipt.deliveryId(), receipt.text()));
                held = null;
            }
        }
    }
}
