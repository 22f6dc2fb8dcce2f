package dev.conversa.web.problem;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.validation.FieldError;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

import reactor.core.publisher.Mono;

/**
 * Turns every error that leaves a handler, a filter or the router into RFC 9457 ProblemDetail JSON with a stable
 * {@code type}. Framework errors ({@link ErrorResponse}: 400, 404, 405, 413, 415 …) keep their status; anything
 * unexpected is a 500 whose body names an error id to find in the logs, never a stack trace.
 * Runs before Spring Boot's default error handler (order -1).
 */
@Order(-2)
public class ProblemDetailExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailExceptionHandler.class);
    private static final URI ABOUT_BLANK = URI.create("about:blank");

    private final ProblemResponses responses;

    public ProblemDetailExceptionHandler(ProblemResponses responses) {
        this.responses = responses;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (error instanceof ErrorResponse response && !exchange.getResponse().isCommitted()) {
            // e.g. Allow on 405, Accept on 415: required by RFC 9110 and carried by the framework's exceptions
            exchange.getResponse().getHeaders().addAll(response.getHeaders());
        }
        return responses.write(exchange, toProblem(error));
    }

    ProblemDetail toProblem(Throwable error) {
        if (error instanceof ErrorResponse response) {
            ProblemDetail problem = copy(response.getBody());
            if (problem.getType() == null || ABOUT_BLANK.equals(problem.getType())) {
                problem.setType(ProblemTypes.forStatus(response.getStatusCode()));
            }
            if (error instanceof WebExchangeBindException binding) {
                problem.setType(ProblemTypes.VALIDATION);
                problem.setDetail("The request has invalid fields");
                problem.setProperty("errors", fieldErrors(binding));
            }
            if (response.getStatusCode().is5xxServerError()) {
                log.error("Request failed with {}", response.getStatusCode(), error);
            }
            return problem;
        }
        String errorId = UUID.randomUUID().toString();
        log.error("Unexpected error {}", errorId, error);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "Unexpected error; quote error id " + errorId + " when reporting it");
        problem.setType(ProblemTypes.INTERNAL);
        problem.setTitle("Internal error");
        problem.setProperty("errorId", errorId);
        return problem;
    }

    private static ProblemDetail copy(ProblemDetail source) {
        ProblemDetail problem = ProblemDetail.forStatus(source.getStatus());
        problem.setType(source.getType());
        problem.setTitle(source.getTitle());
        problem.setDetail(source.getDetail());
        problem.setInstance(source.getInstance());
        if (source.getProperties() != null) {
            source.getProperties().forEach(problem::setProperty);
        }
        return problem;
    }

    private static List<Map<String, String>> fieldErrors(WebExchangeBindException binding) {
        return binding.getFieldErrors().stream()
                .map(ProblemDetailExceptionHandler::describe)
                .toList();
    }

    private static Map<String, String> describe(FieldError error) {
        String message = error.getDefaultMessage() == null ? "is invalid" : error.getDefaultMessage();
        return Map.of("field", error.getField(), "message", message);
    }
}
