package dev.conversa.simulator.linked;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.conversa.simulator.ban.AccountNotice;
import dev.conversa.simulator.ban.BanModel;
import reactor.core.Disposable;

/**
 * Tells live devices what the ban model decided about their number: a WARNING becomes a {@code notice} frame, a BAN
 * closes every live device of the number with 403.
 */
@Component
class AccountNoticeRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AccountNoticeRelay.class);

    private final BanModel bans;
    private final LinkedDeviceRegistry registry;
    private @Nullable Disposable subscription;

    AccountNoticeRelay(BanModel bans, LinkedDeviceRegistry registry) {
        this.bans = bans;
        this.registry = registry;
    }

    @Override
    public synchronized void start() {
        if (subscription == null) {
            subscription = bans.notices().subscribe(this::relay);
        }
    }

    @Override
    public synchronized void stop() {
        if (subscription != null) {
            subscription.dispose();
            subscription = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return subscription != null;
    }

    void relay(AccountNotice notice) {
        try {
            switch (notice.kind()) {
                case WARNING -> registry.live(notice.businessNumber()).forEach(connection -> registry.reply(
                        connection, new ServerFrame.Notice("warning", notice.reason())));
                case BANNED -> closeAll(notice.businessNumber(), notice.reason());
                case UNBANNED -> {
                }
            }
        }
        catch (RuntimeException e) {
            log.warn("Notice {} for {} not relayed", notice.kind(), notice.businessNumber(), e);
        }
    }

    /** Closes every live device of the number with 403. */
    void closeAll(String number, String reason) {
        registry.live(number).forEach(connection -> registry.close(connection, new Disconnect(403, reason)));
    }
}
