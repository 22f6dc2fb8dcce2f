package dev.conversa.campaign.contacts;

import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * Phone numbers to E.164 with libphonenumber. A number written with {@code +} or the international prefix
 * {@code 00} keeps its own country; any other is read as a number of the default region (ISO 3166 code: ES, MX,
 * AR …). Spaces, dashes, dots and parentheses are allowed; the result must be a valid number of its country.
 *
 * <p>A number written {@code +} and digits goes through {@link InternationalNumbers} first, which gives the same
 * result as the full parse at a fraction of its cost, or sends it on to the full parse.
 */
@Component
public class PhoneNormalizer {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private final InternationalNumbers international = new InternationalNumbers(PHONES);

    /** The outcome: the E.164 number, or why there is none. */
    public record Result(@Nullable String e164, @Nullable String error) {

        public boolean valid() {
            return e164 != null;
        }
    }

    /** Whether {@code region} is a region libphonenumber knows (upper-cased first). */
    public static boolean isRegion(@Nullable String region) {
        return region != null && PHONES.getSupportedRegions().contains(region.strip().toUpperCase(Locale.ROOT));
    }

    public Result normalize(@Nullable String raw, String defaultRegion) {
        if (raw == null || raw.isBlank()) {
            return new Result(null, "phone is empty");
        }
        String text = raw.strip();
        if (text.startsWith("00")) {
            text = "+" + text.substring(2);
        }
        String e164 = international.e164(text);
        return e164 != null ? new Result(e164, null) : parse(raw, text, defaultRegion);
    }

    /** The full path: libphonenumber's parse and validation. */
    private static Result parse(String raw, String text, String defaultRegion) {
        try {
            PhoneNumber number = PHONES.parse(text, defaultRegion);
            if (!PHONES.isValidNumber(number)) {
                return new Result(null, "phone " + quoted(raw) + " is not a valid number"
                        + (text.startsWith("+") ? "" : " for region " + defaultRegion));
            }
            return new Result(PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164), null);
        }
        catch (NumberParseException e) {
            return new Result(null, "phone " + quoted(raw) + " is not a phone number");
        }
    }

    private static String quoted(String raw) {
        String value = raw.strip();
        return "'" + (value.length() > 32 ? value.substring(0, 32) + "…" : value) + "'";
    }
}
