package dev.conversa.message.media;

/** The kinds of media WhatsApp carries, as stored in {@code message.media.type}. */
public enum MediaKind {
    IMAGE("image"), AUDIO("audio"), VIDEO("video"), DOCUMENT("document"), STICKER("sticker");

    private final String value;

    MediaKind(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    static MediaKind of(String value) {
        for (MediaKind kind : values()) {
            if (kind.value.equals(value)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("Unknown media kind " + value);
    }
}
