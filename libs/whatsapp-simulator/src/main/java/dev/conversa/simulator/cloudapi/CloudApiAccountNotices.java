package dev.conversa.simulator.cloudapi;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import dev.conversa.simulator.ban.BanModel;
import reactor.core.Disposable;

/** Forwards the ban model's warnings, bans and unbans of a registered number to its webhook as {@code account_update}. */
@Component
class CloudApiAccountNotices implements DisposableBean {

    private final Disposable subscription;

    CloudApiAccountNotices(BanModel bans, CloudNumbers numbers) {
        this.subscription = bans.notices().subscribe(notice -> numbers.registeredByPhone(notice.businessNumber())
                .ifPresent(number -> number.webhooks().accountNotice(notice)));
    }

    @Override
    public void destroy() {
        subscription.dispose();
    }
}
