package dev.conversa.campaign.contacts;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The contacts feature ({@code conversa.contacts.*}).
 *
 * @param defaultRegion      region of numbers written without {@code +}/{@code 00} when an import names none
 * @param maxFileSize        largest CSV accepted (413 beyond)
 * @param maxColumns         most columns a CSV may have (400 for a header beyond, a failed import for a row)
 * @param maxFieldLength     longest field, in characters; a row with a longer one is rejected
 * @param batchSize          rows written per transaction while importing
 * @param prepareConcurrency batches of one import whose phones are normalised at once (on the parallel scheduler)
 * @param writeConcurrency   batches of one import written at once, each in its own transaction and connection
 * @param progressEvery      an import-progress event every this many rows
 * @param rejectionsPreview  rejections shown in an import job (the rest: its rejections listing)
 * @param defaultPageSize    listing pages
 * @param maxPageSize        largest listing page
 * @param optOutKeywords     a message that is exactly one of these opts its sender out
 * @param optOutBatchSize    inbound messages handled per transaction by {@code recordOptOut}
 * @param optOutMaxWait      longest an inbound message waits for its batch
 */
@ConfigurationProperties("conversa.contacts")
public record ContactsProperties(
        @DefaultValue("ES") String defaultRegion,
        @DefaultValue("50MB") DataSize maxFileSize,
        @DefaultValue("200") int maxColumns,
        @DefaultValue("4096") int maxFieldLength,
        @DefaultValue("1000") int batchSize,
        @DefaultValue("2") int prepareConcurrency,
        @DefaultValue("2") int writeConcurrency,
        @DefaultValue("10000") int progressEvery,
        @DefaultValue("20") int rejectionsPreview,
        @DefaultValue("50") int defaultPageSize,
        @DefaultValue("200") int maxPageSize,
        @DefaultValue({"STOP", "BAJA", "UNSUBSCRIBE", "ALTO"}) List<String> optOutKeywords,
        @DefaultValue("200") int optOutBatchSize,
        @DefaultValue("50ms") Duration optOutMaxWait) {

    public ContactsProperties {
        if (!PhoneNormalizer.isRegion(defaultRegion)) {
            throw new IllegalArgumentException("conversa.contacts.default-region must be a region code such as ES, "
                    + "MX or AR: " + defaultRegion);
        }
        if (maxFileSize.toBytes() < 1 || maxColumns < 1 || maxFieldLength < 1 || batchSize < 1 || progressEvery < 1
                || prepareConcurrency < 1 || writeConcurrency < 1
                || rejectionsPreview < 0 || defaultPageSize < 1 || maxPageSize < defaultPageSize
                || optOutBatchSize < 1) {
            throw new IllegalArgumentException("conversa.contacts sizes must be positive (max-page-size at least "
                    + "default-page-size)");
        }
        if (optOutMaxWait.isNegative() || optOutMaxWait.isZero()) {
            throw new IllegalArgumentException("conversa.contacts.opt-out-max-wait must be positive");
        }
        defaultRegion = defaultRegion.strip().toUpperCase(java.util.Locale.ROOT);
        optOutKeywords = List.copyOf(optOutKeywords);
    }
}
