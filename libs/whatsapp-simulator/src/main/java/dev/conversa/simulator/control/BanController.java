package dev.conversa.simulator.control;

import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.conversa.simulator.ban.AccountNotice;
import dev.conversa.simulator.ban.BanModel;
import dev.conversa.simulator.phone.PhoneNumbers;
import reactor.core.publisher.Flux;

/** {@code /sim/bans}: ban or lift a number by hand; {@code /sim/notices}: the ban model's warnings and bans, live. */
@RestController
class BanController {

    record Ban(String number, @Nullable String reason) {
    }

    private final BanModel bans;

    BanController(BanModel bans) {
        this.bans = bans;
    }

    @GetMapping("/sim/bans")
    Set<String> banned() {
        return bans.banned();
    }

    @PostMapping("/sim/bans")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void ban(@RequestBody Ban request) {
        bans.ban(PhoneNumbers.digits(request.number()), request.reason() == null ? "banned by operator"
                : request.reason());
    }

    @DeleteMapping("/sim/bans/{number}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void unban(@PathVariable String number) {
        bans.unban(PhoneNumbers.digits(number));
    }

    @GetMapping(path = "/sim/notices", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<AccountNotice> notices() {
        return bans.notices().onBackpressureBuffer(1_000);
    }
}
