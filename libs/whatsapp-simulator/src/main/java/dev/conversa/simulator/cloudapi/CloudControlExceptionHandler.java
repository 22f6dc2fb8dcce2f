package dev.conversa.simulator.cloudapi;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;

/** Errors of {@code /sim/cloud} as ProblemDetail: {@code 400} bad input, {@code 409} a number taken by another id. */
@RestControllerAdvice(assignableTypes = CloudNumberController.class)
class CloudControlExceptionHandler extends ResponseEntityExceptionHandler {

    @ExceptionHandler
    ProblemDetail conflict(CloudNumbers.NumberConflictException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail badInput(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }
}
