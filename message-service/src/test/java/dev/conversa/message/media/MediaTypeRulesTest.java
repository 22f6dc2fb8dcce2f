package dev.conversa.message.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpStatus;

/** Magic-number detection on a corpus of real files of each accepted type, and on disguised ones. */
class MediaTypeRulesTest {

    private final MediaTypeRules rules = new MediaTypeRules();

    @ParameterizedTest(name = "{0} is {2} ({1})")
    @CsvSource({
            "sample.jpg, image, image/jpeg",
            "sample.png, image, image/png",
            "sample.webp, sticker, image/webp",
            "voice.ogg, audio, audio/ogg",
            "sample.mp3, audio, audio/mpeg",
            "sample.m4a, audio, audio/mp4",
            "sample.mp4, video, video/mp4",
            "sample.3gp, video, video/3gpp",
            "invoice.pdf, document, application/pdf",
            "notes.txt, document, text/plain",
            "quote.docx, document, application/vnd.openxmlformats-officedocument.wordprocessingml.document"})
    void realFilesAreRecognisedByTheirBytes(String file, String kind, String mimeType) {
        MediaTypeRules.Verdict verdict = rules.judge(head(file), file, null);

        assertThat(verdict.kind().value()).isEqualTo(kind);
        assertThat(verdict.mimeType()).isEqualTo(mimeType);
    }

    @ParameterizedTest(name = "{0} without a name or type")
    @CsvSource({"sample.jpg, image/jpeg", "invoice.pdf, application/pdf", "voice.ogg, audio/ogg",
            "sample.mp4, video/mp4"})
    void theBytesAloneDecideTheType(String file, String mimeType) {
        assertThat(rules.judge(head(file), null, null).mimeType()).isEqualTo(mimeType);
        assertThat(rules.judge(head(file), "upload.bin", "application/octet-stream").mimeType()).isEqualTo(mimeType);
    }

    @Test
    void aPdfDeclaredAsPngIsRefused() {
        assertThatThrownBy(() -> rules.judge(head("invoice.pdf"), "invoice.pdf", "image/png"))
                .isInstanceOfSatisfying(MediaRejectedException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
                    assertThat(e.getBody().getProperties()).containsEntry("detectedType", "application/pdf");
                });
    }

    @Test
    void aPdfNamedPngIsRefused() {
        assertThatThrownBy(() -> rules.judge(head("invoice.pdf"), "photo.png", null))
                .isInstanceOf(MediaRejectedException.class)
                .hasMessageContaining("application/pdf");
    }

    @Test
    void anElfExecutableRenamedJpgIsRefused() throws IOException {
        // the running JVM's launcher: a real ELF binary
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        byte[] elf = firstBytes(Files.newInputStream(java));
        assertThat(Arrays.copyOf(elf, 4)).containsExactly(0x7f, 'E', 'L', 'F');

        assertThatThrownBy(() -> rules.judge(elf, "holiday.jpg", "image/jpeg"))
                .isInstanceOfSatisfying(MediaRejectedException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
                    assertThat(e.getMessage()).contains("Executable");
                });
    }

    @Test
    void aWindowsExecutableRenamedJpgIsRefused() {
        assertThatThrownBy(() -> rules.judge(portableExecutable(), "holiday.jpg", null))
                .isInstanceOf(MediaRejectedException.class)
                .hasMessageContaining("Executable");
    }

    @Test
    void aShellScriptNamedTxtIsRefused() {
        byte[] script = "#!/bin/sh\nrm -rf /\n".getBytes();
        assertThatThrownBy(() -> rules.judge(script, "notes.txt", "text/plain"))
                .isInstanceOf(MediaRejectedException.class);
    }

    @Test
    void aZipThatIsNoOfficeDocumentIsRefused() {
        assertThatThrownBy(() -> rules.judge(head("quote.docx"), "archive.zip", null))
                .isInstanceOf(MediaRejectedException.class)
                .hasMessageContaining("not accepted");
    }

    @Test
    void aDeclaredAliasOfTheDetectedTypeIsAccepted() {
        assertThat(rules.judge(head("sample.jpg"), "IMG_0001.JPG", "image/jpg").mimeType()).isEqualTo("image/jpeg");
        assertThat(rules.judge(head("voice.ogg"), "voice.opus", "audio/ogg; codecs=opus").kind())
                .isEqualTo(MediaKind.AUDIO);
    }

    /** A minimal PE header: "MZ", e_lfanew at 0x3c pointing at "PE\0\0". */
    static byte[] portableExecutable() {
        byte[] exe = new byte[512];
        exe[0] = 'M';
        exe[1] = 'Z';
        exe[0x3c] = (byte) 0x80;
        exe[0x80] = 'P';
        exe[0x81] = 'E';
        System.arraycopy("This program cannot be run in DOS mode.".getBytes(), 0, exe, 0x4e, 39);
        return exe;
    }

    static byte[] head(String file) {
        try (InputStream in = MediaTypeRulesTest.class.getResourceAsStream("/media/" + file)) {
            return firstBytes(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(String file) {
        try (InputStream in = MediaTypeRulesTest.class.getResourceAsStream("/media/" + file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] firstBytes(InputStream in) throws IOException {
        try (in) {
            return in.readNBytes(MediaTypeRules.HEAD_SIZE);
        }
    }
}
