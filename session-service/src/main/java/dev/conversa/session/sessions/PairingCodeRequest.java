package dev.conversa.session.sessions;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api/v1/sessions/{id}/pairing-code}: the WhatsApp number to link, E.164. */
record PairingCodeRequest(@NotBlank @Size(max = 32) String phoneNumber) {

    @Override
    public String toString() {
        return "PairingCodeRequest[phoneNumber=" + dev.conversa.web.logging.Pii.phone(phoneNumber) + "]";
    }
}
