package dev.conversa.campaign.contacts;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import com.google.i18n.phonenumbers.metadata.source.MetadataSource;

/**
 * The shortcut for numbers already written internationally: {@code +}, then digits with spaces, dashes or dots
 * between them ({@code +54 9 11 6000-0000}, {@code +5491160000000}), which is how most exported contact lists
 * write them.
 *
 * <p>{@link PhoneNumberUtil#parse} runs several large regular expressions over the raw text (viability,
 * extension, punctuation) before it gets to the digits: most of an import's CPU time. For such a text those steps
 * cannot change anything (no letters, no {@code #}, {@code ,} or {@code ;}, so no extension), and what parse does
 * then depends on the digits alone: the country calling code (1–3 digits, prefix-free), then the country's
 * "national prefix for parsing", which may strip or rewrite the start of the national number. This class takes the
 * same steps with the same metadata and answers only when that prefix rule leaves the national number as it is
 * (no match, or an empty match without a rewrite) and the number is valid ({@link PhoneNumberUtil#isValidNumber},
 * the same check as the full path) — then the result is exactly the one parse gives. Otherwise it answers
 * {@code null} and the caller parses (numbers written nationally, a country prefix left in, invalid numbers: their
 * error messages come from the full path).
 */
final class InternationalNumbers {

    /** A calling code has at most 3 digits; a national significant number at most 17 (libphonenumber's limits). */
    private static final int MAX_COUNTRY_CODE_DIGITS = 3;
    private static final int MIN_NATIONAL_DIGITS = 2;
    private static final int MAX_NATIONAL_DIGITS = 17;
    private static final int MAX_DIGITS = MAX_COUNTRY_CODE_DIGITS + MAX_NATIONAL_DIGITS;
    private static final int MAX_TEXT = 64;
    /** What {@link PhoneNumberUtil#getRegionCodeForCountryCode} answers for an unknown code, and for a global one. */
    private static final String UNKNOWN_REGION = "ZZ";
    private static final String NON_GEOGRAPHICAL = "001";

    /** A calling code's rule for the start of a national number; {@code UNKNOWN} when the code has no metadata. */
    private record PrefixRule(@Nullable Pattern prefix, boolean rewrites) {
        static final PrefixRule UNKNOWN = new PrefixRule(null, false);
    }

    private final PhoneNumberUtil phones;
    private final MetadataSource metadata = DefaultMetadataDependenciesProvider.getInstance()
            .getPhoneNumberMetadataSource();
    /** By calling code, filled on first use (computing one twice is harmless). */
    private final AtomicReferenceArray<PrefixRule> rules = new AtomicReferenceArray<>(1000);

    InternationalNumbers(PhoneNumberUtil phones) {
        this.phones = phones;
    }

    /** The E.164 form of {@code text} (stripped, {@code 00} already turned into {@code +}), or null: parse it. */
    @Nullable String e164(String text) {
        int length = text.length();
        if (length < 2 || length > MAX_TEXT || text.charAt(0) != '+' || !isDigit(text.charAt(1))
                || !isDigit(text.charAt(length - 1))) {
            return null;
        }
        char[] digits = new char[MAX_DIGITS];
        int count = 0;
        for (int i = 1; i < length; i++) {
            char c = text.charAt(i);
            if (isDigit(c)) {
                if (count == MAX_DIGITS) {
                    return null;
                }
                digits[count++] = c;
            }
            else if (c != ' ' && c != '-' && c != '.') {
                return null;
            }
        }
        if (digits[0] == '0') {
            return null;
        }
        int countryCode = 0;
        int codeDigits = 0;
        for (int i = 1; i <= MAX_COUNTRY_CODE_DIGITS && i < count; i++) {
            countryCode = countryCode * 10 + (digits[i - 1] - '0');
            if (!UNKNOWN_REGION.equals(region(countryCode))) {
                codeDigits = i;
                break;
            }
        }
        int nationalDigits = count - codeDigits;
        if (codeDigits == 0 || nationalDigits < MIN_NATIONAL_DIGITS || nationalDigits > MAX_NATIONAL_DIGITS) {
            return null;
        }
        String national = new String(digits, codeDigits, nationalDigits);
        PrefixRule rule = rule(countryCode);
        if (rule == PrefixRule.UNKNOWN || !leftAsIs(rule, national)) {
            return null;
        }
        PhoneNumber number = new PhoneNumber().setCountryCode(countryCode);
        setLeadingZeros(national, number);
        number.setNationalNumber(Long.parseLong(national));
        if (!phones.isValidNumber(number)) {
            return null;
        }
        return phones.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
    }

    private String region(int countryCode) {
        return phones.getRegionCodeForCountryCode(countryCode);
    }

    /**
     * Whether parse's national prefix step keeps {@code national} unchanged: it strips what the prefix pattern
     * matches at the start, or rewrites it when the country has a transform rule and the pattern's last group took
     * part in the match.
     */
    private static boolean leftAsIs(PrefixRule rule, String national) {
        Pattern prefix = rule.prefix();
        if (prefix == null) {
            return true;
        }
        Matcher matcher = prefix.matcher(national);
        if (!matcher.lookingAt()) {
            return true;
        }
        return matcher.end() == 0 && !(rule.rewrites() && matcher.group(matcher.groupCount()) != null);
    }

    private PrefixRule rule(int countryCode) {
        PrefixRule known = rules.get(countryCode);
        if (known != null) {
            return known;
        }
        String region = region(countryCode);
        PhoneMetadata country = NON_GEOGRAPHICAL.equals(region)
                ? metadata.getMetadataForNonGeographicalRegion(countryCode)
                : metadata.getMetadataForRegion(region);
        PrefixRule rule;
        if (country == null) {
            rule = PrefixRule.UNKNOWN;
        }
        else {
            String prefix = country.getNationalPrefixForParsing();
            String transform = country.getNationalPrefixTransformRule();
            rule = new PrefixRule(prefix == null || prefix.isEmpty() ? null : Pattern.compile(prefix),
                    transform != null && !transform.isEmpty());
        }
        rules.set(countryCode, rule);
        return rule;
    }

    /** As parse marks them: a national number starting with 0 keeps its leading zeros (all but the last digit). */
    private static void setLeadingZeros(String national, PhoneNumber number) {
        if (national.length() > 1 && national.charAt(0) == '0') {
            number.setItalianLeadingZero(true);
            int zeros = 1;
            while (zeros < national.length() - 1 && national.charAt(zeros) == '0') {
                zeros++;
            }
            if (zeros != 1) {
                number.setNumberOfLeadingZeros(zeros);
            }
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
