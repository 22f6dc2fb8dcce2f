package dev.conversa.campaign.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * The shortcut for {@code +}-written numbers answers exactly what libphonenumber's full parse answers, or nothing.
 * Checked over every country's example numbers of every type, as written internationally and in E.164, and over
 * random digits after every calling code, with and without a national prefix left in.
 */
class InternationalNumbersTest {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private final InternationalNumbers shortcut = new InternationalNumbers(PHONES);

    @Test
    void answersAsTheFullParseForEveryCountrysExampleNumbers() {
        List<String> texts = new ArrayList<>();
        for (String region : PHONES.getSupportedRegions()) {
            for (PhoneNumberType type : PhoneNumberType.values()) {
                PhoneNumber example = PHONES.getExampleNumberForType(region, type);
                if (example != null) {
                    texts.add(PHONES.format(example, PhoneNumberFormat.E164));
                    texts.add(PHONES.format(example, PhoneNumberFormat.INTERNATIONAL));
                    texts.add(PHONES.format(example, PhoneNumberFormat.INTERNATIONAL).replace(' ', '.'));
                }
            }
        }
        for (int code : PHONES.getSupportedGlobalNetworkCallingCodes()) {
            PhoneNumber example = PHONES.getExampleNumberForNonGeoEntity(code);
            if (example != null) {
                texts.add(PHONES.format(example, PhoneNumberFormat.INTERNATIONAL));
            }
        }
        int answered = assertSameAsFullParse(texts);
        // the shortcut must actually take the usual case, not leave everything to the full parse
        assertThat(answered).isGreaterThan(texts.size() * 9 / 10);
    }

    @Test
    void answersAsTheFullParseForRandomDigitsAfterEveryCallingCode() {
        SplittableRandom random = new SplittableRandom(20261204);
        List<String> texts = new ArrayList<>();
        for (String region : PHONES.getSupportedRegions()) {
            int code = PHONES.getCountryCodeForRegion(region);
            for (int n = 0; n < 200; n++) {
                StringBuilder text = new StringBuilder("+").append(code);
                int digits = 1 + random.nextInt(18);
                // a national prefix (0, 1, 8 …) left in after the code is what the country's rule may strip
                if (random.nextInt(4) == 0) {
                    text.append(random.nextInt(10));
                }
                for (int d = 0; d < digits; d++) {
                    if (random.nextInt(5) == 0) {
                        text.append(" -.".charAt(random.nextInt(3)));
                    }
                    text.append(random.nextInt(10));
                }
                texts.add(text.toString());
            }
        }
        assertSameAsFullParse(texts);
    }

    @Test
    void leavesNationallyWrittenAndUnusualTextsToTheFullParse() {
        assertThat(shortcut.e164("011 15-2345-6789")).isNull();
        assertThat(shortcut.e164("+54 (11) 2345-6789")).isNull();
        assertThat(shortcut.e164("+34 612 345 678 ext. 12")).isNull();
        assertThat(shortcut.e164("+34 612 345 678#")).isNull();
        assertThat(shortcut.e164("+999 1234 5678")).isNull();
        assertThat(shortcut.e164("+0 612 345 678")).isNull();
        assertThat(shortcut.e164("+")).isNull();
        // the United Kingdom's trunk 0 left in: parse strips it, the shortcut leaves the number to parse
        assertThat(shortcut.e164("+44 020 7946 0958")).isNull();
        assertThat(fullParse("+44 020 7946 0958")).isEqualTo("+442079460958");
    }

    @Test
    void leavesNumbersWhoseCountryRuleStripsAPrefixToTheFullParse() {
        // valid as written, but parse strips the country's national prefix (Belarus 8, Rwanda and Gabon 0) and
        // finds the rest invalid: the shortcut must not call them valid
        for (String text : List.of("+375 8102832332", "+250 0006014248", "+241 004899927")) {
            assertThat(fullParse(text)).as(text).isNull();
            assertThat(shortcut.e164(text)).as(text).isNull();
        }
    }

    @Test
    void takesTheNumbersOfAnExportedContactList() {
        assertThat(shortcut.e164("+54 9 11 6000 0000")).isEqualTo("+5491160000000");
        assertThat(shortcut.e164("+5491160000001")).isEqualTo("+5491160000001");
        assertThat(shortcut.e164("+34 612-34-56-78")).isEqualTo("+34612345678");
        assertThat(shortcut.e164("+1 650.253.0000")).isEqualTo("+16502530000");
    }

    private int assertSameAsFullParse(List<String> texts) {
        int answered = 0;
        for (String text : texts) {
            String quick = shortcut.e164(text);
            if (quick != null) {
                answered++;
                assertThat(quick).as(text).isEqualTo(fullParse(text));
            }
        }
        return answered;
    }

    private static @Nullable String fullParse(String text) {
        try {
            PhoneNumber number = PHONES.parse(text, "ES");
            return PHONES.isValidNumber(number) ? PHONES.format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException e) {
            return null;
        }
    }
}
