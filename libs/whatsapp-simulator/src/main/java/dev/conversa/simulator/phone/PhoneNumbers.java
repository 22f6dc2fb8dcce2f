package dev.conversa.simulator.phone;

/**
 * WhatsApp ids are phone numbers as digits with the country code and no {@code +} ({@code wa_id}); the simulator
 * keys everything by them and accepts {@code +E.164} or digits on input.
 */
public final class PhoneNumbers {

    private PhoneNumbers() {
    }

    /** {@code "+54 9 11 5555-1234"} → {@code "5491155551234"}; rejects what cannot be a phone number. */
    public static String digits(String number) {
        if (number == null) {
            throw new IllegalArgumentException("A phone number is required");
        }
        String digits = number.replaceAll("[\\s()+.-]", "");
        if (!digits.matches("[1-9][0-9]{6,14}")) {
            throw new IllegalArgumentException("Not a phone number: " + number);
        }
        return digits;
    }

    public static String e164(String digits) {
        return "+" + digits;
    }
}
