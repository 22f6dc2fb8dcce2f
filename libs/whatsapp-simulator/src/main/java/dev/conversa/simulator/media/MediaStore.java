package dev.conversa.simulator.media;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Every media object of the simulator, in memory: Cloud API uploads, and files simulated phones send (to a Cloud API
 * webhook or a linked device). Bounded by {@code simulator.media.max-total-size}: when a new file does not fit, the
 * oldest ones are evicted, so a long load run that uploads endlessly stays in bounded memory.
 *
 * <p>Ids are random 18–19 digit numbers (63 bits from {@link SecureRandom}): they look like Meta's and cannot be
 * guessed, which is what protects {@code GET /linked/v1/media/{id}}.
 */
@Component
public class MediaStore {

    private static final long SMALLEST_ID = 100_000_000_000_000_000L;

    private final long maxTotalBytes;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final LinkedHashMap<String, StoredMedia> media = new LinkedHashMap<>();
    private long totalBytes;
    private long evicted;

    /** Occupancy of the store. */
    public record Usage(int count, long totalBytes, long maxTotalBytes, long evicted) {
    }

    public MediaStore(MediaProperties properties, Clock clock) {
        this.maxTotalBytes = properties.maxTotalSize().toBytes();
        this.clock = clock;
    }

    /**
     * Stores a file and gives it a new id, evicting the oldest files if needed.
     *
     * @throws MediaRejectedException when the file alone is larger than the whole store
     */
    public StoredMedia put(byte[] bytes, String mimeType, @Nullable String filename) {
        if (bytes.length > maxTotalBytes) {
            throw new MediaRejectedException(MediaRejectedException.Reason.TOO_LARGE,
                    "File of " + bytes.length + " bytes is larger than the media store (" + maxTotalBytes + " bytes)");
        }
        String sha256 = sha256Hex(bytes);
        synchronized (media) {
            String id;
            do {
                id = Long.toString(nextId());
            }
            while (media.containsKey(id));
            StoredMedia stored = new StoredMedia(id, bytes, mimeType, sha256, filename, clock.instant());
            evictFor(bytes.length);
            media.put(id, stored);
            totalBytes += bytes.length;
            return stored;
        }
    }

    public Optional<StoredMedia> find(String id) {
        synchronized (media) {
            return Optional.ofNullable(media.get(id));
        }
    }

    public boolean delete(String id) {
        synchronized (media) {
            StoredMedia removed = media.remove(id);
            if (removed == null) {
                return false;
            }
            totalBytes -= removed.size();
            return true;
        }
    }

    public Usage usage() {
        synchronized (media) {
            return new Usage(media.size(), totalBytes, maxTotalBytes, evicted);
        }
    }

    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private void evictFor(long incoming) {
        Iterator<Map.Entry<String, StoredMedia>> oldestFirst = media.entrySet().iterator();
        while (totalBytes + incoming > maxTotalBytes && oldestFirst.hasNext()) {
            totalBytes -= oldestFirst.next().getValue().size();
            oldestFirst.remove();
            evicted++;
        }
    }

    private long nextId() {
        long id;
        do {
            id = random.nextLong() & Long.MAX_VALUE;
        }
        while (id < SMALLEST_ID);
        return id;
    }
}
