package dev.conversa.simulator.control;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.conversa.simulator.core.ChannelFullException;
import dev.conversa.simulator.core.UnknownBusinessNumberException;

/**
 * Control-API mistakes answer ProblemDetail JSON: 400 for bad input, 404 for a number nobody serves, 503 when the
 * number's channel is full.
 */
@RestControllerAdvice
class ControlErrors {

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badInput(IllegalArgumentException error) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, error.getMessage());
    }

    @ExceptionHandler(ChannelFullException.class)
    ProblemDetail channelFull(ChannelFullException error) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, error.getMessage());
    }

    @ExceptionHandler(UnknownBusinessNumberException.class)
    ProblemDetail unknownNumber(UnknownBusinessNumberException error) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, error.getMessage());
    }
}
