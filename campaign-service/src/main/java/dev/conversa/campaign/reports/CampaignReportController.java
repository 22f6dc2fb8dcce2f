package dev.conversa.campaign.reports;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import dev.conversa.security.ConversaPrincipal;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A campaign's report and CSV export, for supervisors and admins of its tenant (another tenant's campaign answers
 * 404). Only these two paths under {@code /api/v1/campaigns/{id}}: the campaigns feature maps the others.
 */
@RestController
class CampaignReportController {

    static final MediaType TEXT_CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    private final CampaignReports reports;

    CampaignReportController(CampaignReports reports) {
        this.reports = reports;
    }

    @GetMapping("/api/v1/campaigns/{id}/report")
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR')")
    Mono<CampaignReport> report(@PathVariable UUID id, ConversaPrincipal caller) {
        return reports.report(caller.tenantId(), id);
    }

    /** Streamed: a header line, then one chunk per page of recipients; never the whole export in memory. */
    @GetMapping("/api/v1/campaigns/{id}/results.csv")
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR')")
    Mono<ResponseEntity<Flux<DataBuffer>>> results(@PathVariable UUID id, ConversaPrincipal caller) {
        Flux<DataBuffer> body = Flux.concat(Mono.fromSupplier(() -> buffer(ResultsCsv.header())),
                reports.results(caller.tenantId(), id).map(rows -> buffer(ResultsCsv.lines(rows))));
        return reports.requireCampaign(caller.tenantId(), id)
                .then(Mono.fromSupplier(() -> ResponseEntity.ok()
                        .contentType(TEXT_CSV)
                        .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                                .filename("campaign-" + id + "-results.csv").build().toString())
                        .body(body)));
    }

    private static DataBuffer buffer(String text) {
        return DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
