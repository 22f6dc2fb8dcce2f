package dev.conversa.simulator.media;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** How every download endpoint answers a stored file. */
public final class MediaResponses {

    private MediaResponses() {
    }

    /** The bytes with {@code Content-Type}, {@code Content-Length} and, if the file has a name, {@code Content-Disposition}. */
    public static ResponseEntity<byte[]> file(StoredMedia media) {
        HttpHeaders headers = new HttpHeaders();
        try {
            headers.setContentType(MediaType.parseMediaType(media.mimeType()));
        }
        catch (InvalidMediaTypeException e) {
            headers.setContentType(MediaType.APPLICATION_OCTET_STREAM);
        }
        headers.setContentLength(media.size());
        if (media.filename() != null) {
            headers.setContentDisposition(ContentDisposition.attachment().filename(media.filename()).build());
        }
        return new ResponseEntity<>(media.bytes(), headers, HttpStatus.OK);
    }
}
