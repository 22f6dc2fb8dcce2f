package dev.conversa.simulator.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class MediaStoreTest {

    private static MediaStore store(long maxBytes) {
        return new MediaStore(new MediaProperties(DataSize.ofBytes(maxBytes), Duration.ofMinutes(5), null),
                Clock.systemUTC());
    }

    @Test
    void storesBytesWithTypeNameSizeAndSha256() {
        MediaStore store = store(1024);

        StoredMedia stored = store.put("abc".getBytes(StandardCharsets.UTF_8), "text/plain", "a.txt");

        assertThat(store.find(stored.id())).contains(stored);
        assertThat(stored.size()).isEqualTo(3);
        assertThat(stored.mimeType()).isEqualTo("text/plain");
        assertThat(stored.filename()).isEqualTo("a.txt");
        assertThat(stored.sha256()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void idsAreLargeRandomNumbersThatNeverRepeat() {
        MediaStore store = store(1024 * 1024);
        Set<String> ids = new HashSet<>();

        for (int i = 0; i < 1000; i++) {
            ids.add(store.put(new byte[1], "image/png", null).id());
        }

        assertThat(ids).hasSize(1000).allMatch(id -> id.matches("[1-9][0-9]{17,18}"));
    }

    @Test
    void theOldestMediaIsEvictedWhenANewFileDoesNotFit() {
        MediaStore store = store(10);
        StoredMedia first = store.put(new byte[4], "image/png", null);
        StoredMedia second = store.put(new byte[4], "image/png", null);

        StoredMedia third = store.put(new byte[4], "image/png", null);

        assertThat(store.find(first.id())).isEmpty();
        assertThat(store.find(second.id())).isPresent();
        assertThat(store.find(third.id())).isPresent();
        assertThat(store.usage()).isEqualTo(new MediaStore.Usage(2, 8, 10, 1));
    }

    @Test
    void aFileLargerThanTheWholeStoreIsRejected() {
        MediaStore store = store(10);

        assertThatThrownBy(() -> store.put(new byte[11], "image/png", null))
                .isInstanceOfSatisfying(MediaRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(MediaRejectedException.Reason.TOO_LARGE));
        assertThat(store.usage().count()).isZero();
    }

    @Test
    void deletingFreesTheSpace() {
        MediaStore store = store(10);
        StoredMedia stored = store.put(new byte[8], "image/png", null);

        assertThat(store.delete(stored.id())).isTrue();
        assertThat(store.delete(stored.id())).isFalse();
        assertThat(store.find(stored.id())).isEmpty();
        assertThat(store.usage().totalBytes()).isZero();
    }
}
