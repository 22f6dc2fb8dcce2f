package dev.conversa.simulator.ban;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The number-safety model ({@code simulator.ban.*}): a business number that sends faster than {@code maxPerMinute},
 * or whose recent sends go mostly ({@code coldRatio}) to phones that never wrote to it, is warned once, and banned
 * (403) if it is still at it after {@code graceAfterWarning}.
 *
 * @param enabled           false: nobody is ever banned
 * @param maxPerMinute      sends per rolling minute above which a number is "too fast"
 * @param coldRatio         fraction of the last {@code window} sends that went to phones that never wrote
 * @param window            how many recent sends the cold ratio looks at; it is judged only once that many exist
 * @param graceAfterWarning how long a warned number has to behave before the next violation bans it
 */
@ConfigurationProperties("simulator.ban")
public record BanProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("600") int maxPerMinute,
        @DefaultValue("0.95") double coldRatio,
        @DefaultValue("200") int window,
        @DefaultValue("30s") Duration graceAfterWarning) {
}
