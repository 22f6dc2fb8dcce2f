package dev.conversa.simulator.load;

import java.util.Collection;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** {@code /sim/load}: start, watch and stop inbound load runs. */
@RestController
@RequestMapping("/sim/load")
class LoadController {

    private final LoadGenerator generator;

    LoadController(LoadGenerator generator) {
        this.generator = generator;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.ACCEPTED)
    LoadJob start(@RequestBody LoadRequest request) {
        return generator.start(request);
    }

    @GetMapping
    Collection<LoadJob> jobs() {
        return generator.jobs();
    }

    @GetMapping("/{id}")
    LoadJob job(@PathVariable String id) {
        return generator.job(id).orElseThrow(() -> notFound(id));
    }

    @DeleteMapping("/{id}")
    LoadJob stop(@PathVariable String id) {
        return generator.stop(id).orElseThrow(() -> notFound(id));
    }

    private static ResponseStatusException notFound(String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "No load run " + id);
    }
}
