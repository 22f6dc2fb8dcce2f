package dev.conversa.simulator.cloudapi;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;

import dev.conversa.simulator.media.MediaRejectedException;

/** Every error of the Graph endpoints in Meta's body: {@code {"error":{"message","type","code",…,"fbtrace_id"}}}. */
@RestControllerAdvice(assignableTypes = {GraphMessagesController.class, GraphMediaController.class})
class GraphExceptionHandler {

    @ExceptionHandler
    ResponseEntity<GraphErrorBody> graph(GraphApiException e) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status());
        if (e.code() == 190) {
            response.header(HttpHeaders.WWW_AUTHENTICATE,
                    "OAuth \"Facebook Platform\" \"invalid_token\" \"" + e.getMessage() + "\"");
        }
        return response.body(GraphErrorBody.of(e));
    }

    @ExceptionHandler
    ResponseEntity<GraphErrorBody> media(MediaRejectedException e) {
        return graph(switch (e.reason()) {
            case MISSING_FILE -> GraphErrors.invalidParameter(e.getMessage());
            case TOO_LARGE -> GraphErrors.mediaUpload(HttpStatus.CONTENT_TOO_LARGE, e.getMessage());
            case UNSUPPORTED_TYPE -> GraphErrors.mediaUpload(HttpStatus.BAD_REQUEST, e.getMessage());
        });
    }

    @ExceptionHandler
    ResponseEntity<GraphErrorBody> input(ServerWebInputException e) {
        return graph(GraphErrors.invalidParameter(e.getReason() == null ? "Invalid request" : e.getReason()));
    }

    @ExceptionHandler
    ResponseEntity<GraphErrorBody> contentType(UnsupportedMediaTypeStatusException e) {
        return graph(GraphErrors.invalidParameter(e.getReason() == null ? "Unsupported content type"
                : e.getReason()));
    }
}
