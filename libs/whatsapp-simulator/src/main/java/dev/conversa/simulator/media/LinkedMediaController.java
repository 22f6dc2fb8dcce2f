package dev.conversa.simulator.media;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /linked/v1/media/{mediaId}}: the raw bytes of a media object for linked devices, which learn the id from
 * a {@code message} frame. The id is the only credential, which is why ids are unguessable.
 */
@RestController
class LinkedMediaController {

    private final MediaStore store;

    LinkedMediaController(MediaStore store) {
        this.store = store;
    }

    @GetMapping("/linked/v1/media/{mediaId}")
    ResponseEntity<?> download(@PathVariable String mediaId) {
        return store.find(mediaId)
                .<ResponseEntity<?>>map(MediaResponses::file)
                .orElseGet(() -> ResponseEntity.of(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                        "No media " + mediaId)).build());
    }
}
