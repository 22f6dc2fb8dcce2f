package dev.conversa.message.media;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.tika.Tika;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.mime.MimeTypes;
import org.jspecify.annotations.Nullable;

/**
 * What a file is, from its first bytes (Apache Tika's magic numbers), and whether we take it. The name and the
 * declared Content-Type never decide the type: they may only refine it within the family the bytes prove (a ZIP
 * named {@code .docx} is a Word document, an OLE2 file named {@code .xls} an Excel sheet), and when either names a
 * type the bytes contradict (a PDF declared {@code image/png}, an executable named {@code .jpg}) the file is
 * refused. Executables are refused whatever they are called. The allowed types are WhatsApp's.
 */
final class MediaTypeRules {

    /** Bytes given to the detector: Tika's magic patterns look at most this far. */
    static final int HEAD_SIZE = 8 * 1024;

    private static final MediaType OCTET_STREAM = MediaType.OCTET_STREAM;

    private static final Map<String, MediaKind> ALLOWED = Map.ofEntries(
            Map.entry("image/jpeg", MediaKind.IMAGE),
            Map.entry("image/png", MediaKind.IMAGE),
            Map.entry("image/webp", MediaKind.STICKER),
            Map.entry("audio/aac", MediaKind.AUDIO),
            Map.entry("audio/x-aac", MediaKind.AUDIO),
            Map.entry("audio/amr", MediaKind.AUDIO),
            Map.entry("audio/mpeg", MediaKind.AUDIO),
            Map.entry("audio/mp4", MediaKind.AUDIO),
            Map.entry("audio/ogg", MediaKind.AUDIO),
            Map.entry("audio/opus", MediaKind.AUDIO),
            Map.entry("audio/vorbis", MediaKind.AUDIO),
            Map.entry("application/ogg", MediaKind.AUDIO),
            Map.entry("video/mp4", MediaKind.VIDEO),
            Map.entry("video/3gpp", MediaKind.VIDEO),
            Map.entry("application/pdf", MediaKind.DOCUMENT),
            Map.entry("text/plain", MediaKind.DOCUMENT),
            Map.entry("application/msword", MediaKind.DOCUMENT),
            Map.entry("application/vnd.ms-excel", MediaKind.DOCUMENT),
            Map.entry("application/vnd.ms-powerpoint", MediaKind.DOCUMENT),
            Map.entry("application/vnd.openxmlformats-officedocument.wordprocessingml.document", MediaKind.DOCUMENT),
            Map.entry("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", MediaKind.DOCUMENT),
            Map.entry("application/vnd.openxmlformats-officedocument.presentationml.presentation",
                    MediaKind.DOCUMENT));

    /** Ogg containers are stored under the MIME type WhatsApp's voice notes use. */
    private static final Map<String, String> STORED_AS = Map.of(
            "application/ogg", "audio/ogg",
            "audio/opus", "audio/ogg",
            "audio/vorbis", "audio/ogg",
            "audio/x-aac", "audio/aac");

    private static final Set<String> EXECUTABLES = Set.of(
            "application/x-executable", "application/x-elf", "application/x-sharedlib", "application/x-coredump",
            "application/x-object", "application/x-msdownload", "application/x-dosexec", "application/x-ms-installer",
            "application/x-mach-o", "application/x-mach-o-executable", "application/x-mach-o-dylib",
            "application/x-mach-o-bundle", "application/java-archive", "application/java-vm",
            "application/x-java-applet", "application/x-sh", "application/x-csh", "application/x-bat",
            "application/x-msi", "application/vnd.microsoft.portable-executable", "application/x-shellscript",
            "text/x-python", "text/x-perl", "application/x-httpd-php", "application/javascript",
            "text/javascript", "application/x-ms-shortcut", "application/hta");

    /** Names clients send that Tika's registry does not know as aliases. */
    private static final Map<String, String> ALIASES = Map.of(
            "image/jpg", "image/jpeg",
            "image/pjpeg", "image/jpeg",
            "audio/mp3", "audio/mpeg",
            "audio/x-m4a", "audio/mp4",
            "audio/m4a", "audio/mp4",
            "audio/x-wav", "audio/wav");

    /** ISO base-media major brands of plain MP4 files, which Tika's magic alone calls QuickTime. */
    private static final Set<String> MP4_BRANDS = Set.of("isom", "iso2", "iso4", "iso5", "iso6", "mp41", "mp42",
            "avc1", "dash", "MSNV", "M4V ");

    private final Tika tika = new Tika();
    private final MediaTypeRegistry registry = MimeTypes.getDefaultMimeTypes().getMediaTypeRegistry();

    /** The verdict on a file of which {@code head} are the first bytes (all of them for a small file). */
    Verdict judge(byte[] head, @Nullable String filename, @Nullable String declaredType) {
        MediaType magic = normalize(MediaType.parse(tika.detect(head)));
        if ("video/quicktime".equals(magic.toString()) && MP4_BRANDS.contains(majorBrand(head))) {
            magic = MediaType.parse("video/mp4");
        }
        MediaType byName = filename == null || filename.isBlank() ? OCTET_STREAM
                : normalize(MediaType.parse(tika.detect(filename)));
        MediaType declared = declaredType == null ? OCTET_STREAM : parse(declaredType);

        if (executable(magic) || executable(byName)) {
            throw MediaRejectedException.unsupported(magic.toString(), "Executable files are not accepted");
        }
        // the name may refine what the bytes prove (zip → docx), never contradict it
        MediaType detected = specializes(byName, magic) ? byName : magic;
        if (!OCTET_STREAM.equals(byName) && !related(byName, detected)) {
            throw MediaRejectedException.unsupported(detected.toString(),
                    "The file's content is " + detected + " but its name says " + byName);
        }
        if (!OCTET_STREAM.equals(declared) && !related(declared, detected)) {
            throw MediaRejectedException.unsupported(detected.toString(),
                    "The file's content is " + detected + " but it was declared " + declared);
        }
        String type = detected.getBaseType().toString();
        MediaKind kind = ALLOWED.get(type);
        if (kind == null) {
            throw MediaRejectedException.unsupported(type, "Files of type " + type + " are not accepted");
        }
        return new Verdict(kind, STORED_AS.getOrDefault(type, type));
    }

    private boolean executable(MediaType type) {
        if (OCTET_STREAM.equals(type)) {
            return false;
        }
        for (MediaType t = type; t != null; t = registry.getSupertype(t)) {
            if (EXECUTABLES.contains(t.getBaseType().toString())) {
                return true;
            }
        }
        return false;
    }

    private boolean specializes(MediaType candidate, MediaType general) {
        return !OCTET_STREAM.equals(candidate) && registry.isSpecializationOf(candidate, general);
    }

    /** Same type, an alias, one a specialization of the other, or the same container family (Ogg, MP4). */
    private boolean related(MediaType a, MediaType b) {
        if (a.getBaseType().equals(b.getBaseType()) || specializes(a, b) || specializes(b, a)) {
            return true;
        }
        String x = STORED_AS.getOrDefault(a.getBaseType().toString(), a.getBaseType().toString());
        String y = STORED_AS.getOrDefault(b.getBaseType().toString(), b.getBaseType().toString());
        return x.equals(y) || sameContainer(x, y);
    }

    private static boolean sameContainer(String x, String y) {
        // an MP4 file's brand decides audio/mp4 vs video/mp4 (and 3GPP); the name or header may say either
        Set<String> mp4 = Set.of("video/mp4", "audio/mp4", "video/3gpp", "audio/3gpp", "video/quicktime");
        return mp4.contains(x) && mp4.contains(y);
    }

    private MediaType normalize(MediaType type) {
        String base = type.getBaseType().toString();
        return registry.normalize(ALIASES.containsKey(base) ? MediaType.parse(ALIASES.get(base)) : type.getBaseType());
    }

    /** The major brand of an ISO base-media file: bytes 8–12, after the size and {@code ftyp}. */
    private static String majorBrand(byte[] head) {
        if (head.length < 12 || head[4] != 'f' || head[5] != 't' || head[6] != 'y' || head[7] != 'p') {
            return "";
        }
        return new String(head, 8, 4, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private MediaType parse(String declared) {
        MediaType type = MediaType.parse(declared.toLowerCase(Locale.ROOT).trim());
        return type == null ? OCTET_STREAM : normalize(type);
    }

    /** @param mimeType what the file is stored and served as */
    record Verdict(MediaKind kind, String mimeType) {
    }
}
