package dev.conversa.simulator.ban;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import dev.conversa.simulator.phone.ContactLedger;

class BanModelTest {

    private static final String BUSINESS = "5491100000001";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final ContactLedger contacts = new ContactLedger();

    @Test
    void numberSendingFasterThanItsPaceIsWarnedThenBannedAfterTheGrace() {
        BanModel model = new BanModel(new BanProperties(true, 10, 1.0, 1_000, Duration.ofSeconds(30)), contacts,
                clock);
        List<AccountNotice> notices = record(model);
        warmContacts(20);

        for (int i = 0; i < 11; i++) {
            model.observeSend(BUSINESS, customer(i));
        }
        assertThat(notices).extracting(AccountNotice::kind).containsExactly(AccountNotice.Kind.WARNING);
        assertThat(model.isBanned(BUSINESS)).isFalse();

        clock.advance(Duration.ofSeconds(10));
        model.observeSend(BUSINESS, customer(12));
        assertThat(model.isBanned(BUSINESS)).as("still within the grace after the warning").isFalse();

        clock.advance(Duration.ofSeconds(25));
        for (int i = 0; i < 11; i++) {
            model.observeSend(BUSINESS, customer(i));
        }
        assertThat(model.isBanned(BUSINESS)).isTrue();
        assertThat(notices).extracting(AccountNotice::kind)
                .containsExactly(AccountNotice.Kind.WARNING, AccountNotice.Kind.BANNED);
    }

    @Test
    void numberWritingMostlyToPeopleWhoNeverWroteIsWarned() {
        BanModel model = new BanModel(new BanProperties(true, 1_000, 0.8, 10, Duration.ofSeconds(30)), contacts,
                clock);
        List<AccountNotice> notices = record(model);

        for (int i = 0; i < 10; i++) {
            model.observeSend(BUSINESS, customer(100 + i));
        }

        assertThat(notices).singleElement().satisfies(notice -> {
            assertThat(notice.kind()).isEqualTo(AccountNotice.Kind.WARNING);
            assertThat(notice.reason()).contains("never wrote");
        });
    }

    @Test
    void numberAnsweringItsContactsIsNeverWarned() {
        BanModel model = new BanModel(new BanProperties(true, 1_000, 0.8, 10, Duration.ofSeconds(30)), contacts,
                clock);
        List<AccountNotice> notices = record(model);
        warmContacts(50);

        for (int i = 0; i < 50; i++) {
            model.observeSend(BUSINESS, customer(i));
        }

        assertThat(notices).isEmpty();
    }

    @Test
    void disabledModelBansNobodyButOperatorsStillCan() {
        BanModel model = new BanModel(new BanProperties(false, 1, 0.0, 1, Duration.ZERO), contacts, clock);
        for (int i = 0; i < 100; i++) {
            model.observeSend(BUSINESS, customer(i));
        }
        assertThat(model.isBanned(BUSINESS)).isFalse();

        model.ban(BUSINESS, "operator");
        assertThat(model.isBanned(BUSINESS)).isTrue();
        model.unban(BUSINESS);
        assertThat(model.isBanned(BUSINESS)).isFalse();
    }

    private List<AccountNotice> record(BanModel model) {
        List<AccountNotice> notices = new CopyOnWriteArrayList<>();
        model.notices().subscribe(notices::add);
        return notices;
    }

    private void warmContacts(int count) {
        for (int i = 0; i < count; i++) {
            contacts.recordInbound(BUSINESS, customer(i), clock.instant());
        }
    }

    private static String customer(int i) {
        return String.valueOf(5491155500000L + i);
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
