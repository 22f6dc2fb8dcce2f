package dev.conversa.media.storage;

/** Nothing is stored under the key that was asked for. */
public class MediaObjectNotFoundException extends RuntimeException {

    public MediaObjectNotFoundException(String key) {
        super("No media object under " + key);
    }
}
