package dev.conversa.campaign.reports;

/**
 * Outcome counters of a period, a day, a group or a contact: recipients that first reached sent (or beyond), that
 * first reached delivered or read, that were read, and that failed for good.
 */
public record Figures(long sent, long delivered, long read, long failed) {

    static final Figures ZERO = new Figures(0, 0, 0, 0);
}
