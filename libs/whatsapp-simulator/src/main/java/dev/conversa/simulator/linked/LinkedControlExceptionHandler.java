package dev.conversa.simulator.linked;

import java.net.URI;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Errors of the linked-device control API as {@code application/problem+json}: the simulator does not turn on
 * WebFlux's global problem details, so this advice, limited to {@link LinkedDeviceController}, renders them.
 */
@RestControllerAdvice(assignableTypes = LinkedDeviceController.class)
class LinkedControlExceptionHandler {

    @ExceptionHandler({ErrorResponseException.class, ResponseStatusException.class})
    ResponseEntity<ProblemDetail> problem(ErrorResponse error, ServerWebExchange exchange) {
        ProblemDetail body = error.getBody();
        if (body.getInstance() == null) {
            body.setInstance(URI.create(exchange.getRequest().getPath().value()));
        }
        return ResponseEntity.status(error.getStatusCode())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(body);
    }
}
