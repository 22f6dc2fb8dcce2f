package dev.conversa.simulator.linked;

import java.net.URI;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.conversa.simulator.ban.BanModel;
import dev.conversa.simulator.phone.PhoneNumbers;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * The phone's side of linking, and the operator's view of linked devices ({@code /sim/linked}): scan a QR ref, type
 * a pairing code, list pending pairings and devices, and force a device off with any disconnect reason.
 */
@RestController
@RequestMapping("/sim/linked")
class LinkedDeviceController {

    private final LinkedDeviceRegistry registry;
    private final Pairing pairing;
    private final BanModel bans;
    private final AccountNoticeRelay notices;

    LinkedDeviceController(LinkedDeviceRegistry registry, Pairing pairing, BanModel bans,
            AccountNoticeRelay notices) {
        this.registry = registry;
        this.pairing = pairing;
        this.bans = bans;
        this.notices = notices;
    }

    record ScanRequest(@NotBlank String ref, @NotBlank String phoneNumber, @Nullable String pushName) {
    }

    record PairingCodeEntry(@NotBlank String phoneNumber, @NotBlank String code) {
    }

    record DisconnectRequest(@NotNull Integer code, @Nullable String reason) {
    }

    record PendingPairing(String connectionId, Instant connectedAt, @Nullable String client, @Nullable String ref,
            int attempt, @Nullable Instant expiresAt, @Nullable PendingCode pairingCode) {
    }

    record PendingCode(String code, String phoneNumber, Instant expiresAt) {
    }

    record DeviceView(String deviceId, String phoneNumber, String pushName, Instant linkedAt, boolean online,
            @Nullable String connectionId, @Nullable Instant connectedAt, @Nullable String client, boolean revoked,
            int queued, int unacknowledged, long queueDropped, long redelivered, long readsReported, long logins,
            long replacements) {
    }

    @GetMapping("/pending")
    List<PendingPairing> pending() {
        return registry.pairing().stream().map(LinkedDeviceController::pending).toList();
    }

    @PostMapping("/scan")
    ResponseEntity<DeviceView> scan(@Validated @RequestBody ScanRequest request) {
        return paired(pairing.scan(request.ref(), digits(request.phoneNumber()), request.pushName()));
    }

    @PostMapping("/pairing-code/enter")
    ResponseEntity<DeviceView> enterPairingCode(@Validated @RequestBody PairingCodeEntry request) {
        return paired(pairing.enterCode(digits(request.phoneNumber()), request.code()));
    }

    @GetMapping("/devices")
    List<DeviceView> devices() {
        return registry.devices().stream()
                .sorted(Comparator.comparing(LinkedDevice::linkedAt))
                .map(LinkedDeviceController::view)
                .toList();
    }

    @GetMapping("/devices/{deviceId}")
    DeviceView device(@PathVariable String deviceId) {
        return view(find(deviceId));
    }

    /**
     * 401 revokes the credentials, 403 bans the number (closing all its devices); other codes only close the live
     * connection, and the device may reconnect.
     */
    @PostMapping("/devices/{deviceId}/disconnect")
    DeviceView disconnect(@PathVariable String deviceId, @Validated @RequestBody DisconnectRequest request) {
        LinkedDevice device = find(deviceId);
        int code = request.code();
        if (code == 411 || !Disconnect.CODES.contains(code)) {
            throw problem(HttpStatus.BAD_REQUEST,
                    "code must be one of 401, 403, 408, 428, 440, 500, 503, 515, not " + code);
        }
        Disconnect reason = new Disconnect(code, request.reason());
        switch (code) {
            case 401 -> registry.revoke(device, reason);
            case 403 -> {
                bans.ban(device.number(), reason.reason());
                notices.closeAll(device.number(), reason.reason());
            }
            default -> {
                DeviceConnection live = device.live();
                if (live == null || !registry.close(live, reason)) {
                    throw problem(HttpStatus.CONFLICT, "Device " + deviceId + " is not connected");
                }
            }
        }
        return view(device);
    }

    private ResponseEntity<DeviceView> paired(Pairing.Outcome outcome) {
        return switch (outcome) {
            case Pairing.Outcome.Paired paired -> ResponseEntity
                    .created(URI.create("/sim/linked/devices/" + paired.device().deviceId()))
                    .body(view(paired.device()));
            case Pairing.Outcome.Unknown unknown -> throw problem(HttpStatus.NOT_FOUND, unknown.detail());
            case Pairing.Outcome.OtherNumber other -> throw problem(HttpStatus.CONFLICT, other.detail());
            case Pairing.Outcome.Banned banned -> throw problem(HttpStatus.FORBIDDEN, banned.detail());
        };
    }

    private LinkedDevice find(String deviceId) {
        LinkedDevice device = registry.device(deviceId);
        if (device == null) {
            throw problem(HttpStatus.NOT_FOUND, "No linked device " + deviceId);
        }
        return device;
    }

    private static String digits(String phoneNumber) {
        try {
            return PhoneNumbers.digits(phoneNumber);
        }
        catch (IllegalArgumentException e) {
            throw problem(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    private static ErrorResponseException problem(HttpStatus status, String detail) {
        return new ErrorResponseException(status, ProblemDetail.forStatusAndDetail(status, detail), null);
    }

    private static PendingPairing pending(DeviceConnection connection) {
        synchronized (connection) {
            PendingCode code = connection.pairingCode == null ? null
                    : new PendingCode(connection.pairingCode, connection.pairingPhone,
                            Instant.ofEpochMilli(connection.pairingCodeDeadline));
            return new PendingPairing(connection.id(), connection.connectedAt(), connection.client, connection.ref,
                    connection.attempt, connection.attempt == 0 ? null : Instant.ofEpochMilli(connection.refDeadline),
                    code);
        }
    }

    static DeviceView view(LinkedDevice device) {
        DeviceConnection live = device.live();
        LinkedAccount.Counters counters = device.account().counters();
        return new DeviceView(device.deviceId(), device.number(), device.pushName(), device.linkedAt(),
                live != null, live == null ? null : live.id(), live == null ? null : live.connectedAt(),
                device.client(), device.revoked(), counters.queued(), counters.unacknowledged(), counters.dropped(),
                counters.redelivered(), device.reads(), device.logins(), device.replacements());
    }
}
