package dev.conversa.simulator.media;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;

/** Errors of the media control endpoints as ProblemDetail: {@code 413} too large, {@code 400} otherwise. */
@RestControllerAdvice(assignableTypes = {MediaControlController.class, LinkedMediaController.class})
class MediaExceptionHandler extends ResponseEntityExceptionHandler {

    @ExceptionHandler(MediaRejectedException.class)
    ProblemDetail rejected(MediaRejectedException e) {
        HttpStatus status = e.reason() == MediaRejectedException.Reason.TOO_LARGE ? HttpStatus.CONTENT_TOO_LARGE
                : HttpStatus.BAD_REQUEST;
        return ProblemDetail.forStatusAndDetail(status, e.getMessage());
    }
}
