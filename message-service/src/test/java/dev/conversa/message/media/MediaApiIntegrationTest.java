package dev.conversa.message.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import dev.conversa.message.conversations.InboxFixtures;
import dev.conversa.testsupport.ConversaIntegrationTest;
import dev.conversa.testsupport.RealServers;
import dev.conversa.testsupport.TestJwts;

/**
 * {@code /api/v1/media} on real servers: PostgreSQL for the rows, the filesystem adapter for the bytes, and a real
 * TCP server speaking clamd's INSTREAM protocol for the scan.
 */
@ConversaIntegrationTest
class MediaApiIntegrationTest {

    private static final String TENANT = "tenant-media";
    private static final String OTHER_TENANT = "tenant-media-other";
    private static final Path STORAGE = tempDir();
    private static final FakeClamd CLAMD = startClamd();

    @Autowired
    WebTestClient web;

    @Autowired
    RealServers servers;

    UUID conversation;

    record Uploaded(UUID id, UUID conversationId, UUID messageId, String type, String mimeType, long size,
            String sha256, String filename, String scanResult, String createdBy) {
    }

    record Link(String url, String expiresAt) {
    }

    @DynamicPropertySource
    static void media(DynamicPropertyRegistry registry) {
        registry.add("conversa.media.storage.filesystem.root", STORAGE::toString);
        registry.add("conversa.media.clamd.host", () -> "127.0.0.1");
        registry.add("conversa.media.clamd.port", CLAMD::port);
    }

    @AfterAll
    static void stopClamd() throws IOException {
        CLAMD.close();
    }

    @BeforeEach
    void setUp() {
        // a shared 2-core machine: more than WebTestClient's default 5 s now and then
        web = web.mutate().responseTimeout(java.time.Duration.ofSeconds(30)).build();
        // agents see (and attach files to) the conversations assigned to them
        conversation = new InboxFixtures(servers).conversation(TENANT, UUID.randomUUID()).assignee("agent-1").insert();
    }

    @Test
    void anUploadedImageIsStoredScannedRecordedAndStreamsBackWithItsTypeAndName() throws Exception {
        byte[] jpeg = MediaTypeRulesTest.bytes("sample.jpg");
        int scansBefore = CLAMD.scans();

        Uploaded uploaded = upload(agent(TENANT), file(jpeg, "foto del pedido.jpg", MediaType.IMAGE_JPEG),
                Map.of("conversationId", conversation.toString()))
                .expectStatus().isCreated()
                .expectHeader().valueMatches(HttpHeaders.LOCATION, "/api/v1/media/[0-9a-f-]{36}")
                .expectBody(Uploaded.class).returnResult().getResponseBody();

        assertThat(uploaded.type()).isEqualTo("image");
        assertThat(uploaded.mimeType()).isEqualTo("image/jpeg");
        assertThat(uploaded.size()).isEqualTo(jpeg.length);
        assertThat(uploaded.sha256()).isEqualTo(sha256(jpeg));
        assertThat(uploaded.filename()).isEqualTo("foto del pedido.jpg");
        assertThat(uploaded.conversationId()).isEqualTo(conversation);
        assertThat(uploaded.scanResult()).isEqualTo("clean");
        assertThat(uploaded.createdBy()).isEqualTo("user:agent-1");
        assertThat(CLAMD.scans()).isGreaterThan(scansBefore);
        Map<String, Object> row = servers.database().queryRow(
                "SELECT tenant_id, storage_key, size_bytes, sha256, scan_result FROM message.media WHERE id = ?",
                uploaded.id());
        assertThat(row).containsEntry("tenant_id", TENANT).containsEntry("size_bytes", (long) jpeg.length)
                .containsEntry("storage_key", TENANT + "/" + uploaded.id());
        assertThat(Files.readAllBytes(STORAGE.resolve(TENANT).resolve(uploaded.id().toString()))).isEqualTo(jpeg);

        byte[] downloaded = web.get().uri("/api/v1/media/{id}", uploaded.id())
                .headers(h -> h.setBearerAuth(agent(TENANT)))
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.IMAGE_JPEG)
                .expectHeader().contentLength(jpeg.length)
                .expectHeader().valueMatches(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=.*")
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(downloaded).isEqualTo(jpeg);
    }

    @Test
    void aDocumentDownloadsAsAnAttachmentUnderItsName() {
        Uploaded pdf = upload(agent(TENANT), file(MediaTypeRulesTest.bytes("invoice.pdf"), "factura.pdf", null),
                Map.of()).expectStatus().isCreated().expectBody(Uploaded.class).returnResult().getResponseBody();

        assertThat(pdf.type()).isEqualTo("document");
        web.get().uri("/api/v1/media/{id}", pdf.id())
                .headers(h -> h.setBearerAuth(agent(TENANT)))
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_PDF)
                .expectHeader().valueMatches(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"factura.pdf\".*");
    }

    @Test
    void anImageOverFiveMegabytesIs413AndLeavesNothingStored() {
        byte[] jpeg = MediaTypeRulesTest.bytes("sample.jpg");
        byte[] large = Arrays.copyOf(jpeg, 5 * 1024 * 1024 + 1);
        long filesBefore = storedFiles();

        upload(agent(TENANT), file(large, "big.jpg", MediaType.IMAGE_JPEG), Map.of())
                .expectStatus().isEqualTo(413)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://conversa.dev/problems/payload-too-large")
                .jsonPath("$.kind").isEqualTo("image")
                .jsonPath("$.limit").isEqualTo(5 * 1024 * 1024);

        assertThat(storedFiles()).isEqualTo(filesBefore);
    }

    @Test
    void theSameSizeIsFineForAVideo() {
        byte[] mp4 = MediaTypeRulesTest.bytes("sample.mp4");
        byte[] large = Arrays.copyOf(mp4, 5 * 1024 * 1024 + 1);

        upload(agent(TENANT), file(large, "clip.mp4", MediaType.parseMediaType("video/mp4")), Map.of())
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.type").isEqualTo("video").jsonPath("$.size").isEqualTo(large.length);
    }

    @Test
    void aPdfDeclaredAsPngIs415AndNothingIsStored() {
        long rowsBefore = mediaRows();
        long filesBefore = storedFiles();

        upload(agent(TENANT), file(MediaTypeRulesTest.bytes("invoice.pdf"), "scan.png", MediaType.IMAGE_PNG),
                Map.of())
                .expectStatus().isEqualTo(415)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://conversa.dev/problems/unsupported-media-type")
                .jsonPath("$.detectedType").isEqualTo("application/pdf");

        assertThat(mediaRows()).isEqualTo(rowsBefore);
        assertThat(storedFiles()).isEqualTo(filesBefore);
    }

    @Test
    void aWindowsExecutableRenamedJpgIs415() {
        upload(agent(TENANT), file(MediaTypeRulesTest.portableExecutable(), "holiday.jpg", MediaType.IMAGE_JPEG),
                Map.of())
                .expectStatus().isEqualTo(415)
                .expectBody().jsonPath("$.detail").isEqualTo("Executable files are not accepted");
    }

    @Test
    void anInfectedFileIsRejectedAndDeleted() {
        long filesBefore = storedFiles();
        long rowsBefore = mediaRows();

        upload(agent(TENANT), file(FakeClamd.EICAR.getBytes(), "readme.txt", MediaType.TEXT_PLAIN), Map.of())
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.signature").isEqualTo("Eicar-Test-Signature");

        assertThat(storedFiles()).isEqualTo(filesBefore);
        assertThat(mediaRows()).isEqualTo(rowsBefore);
    }

    @Test
    void anotherTenantGets404ForTheFileAndItsLink() {
        Uploaded uploaded = uploadJpeg();

        web.get().uri("/api/v1/media/{id}", uploaded.id())
                .headers(h -> h.setBearerAuth(agent(OTHER_TENANT)))
                .exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").isEqualTo("https://conversa.dev/problems/not-found");
        web.get().uri("/api/v1/media/{id}/link", uploaded.id())
                .headers(h -> h.setBearerAuth(agent(OTHER_TENANT)))
                .exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void anUploadToAnotherTenantsConversationIs404AndLeavesNothing() {
        long rowsBefore = mediaRows();
        long filesBefore = storedFiles();

        upload(agent(OTHER_TENANT), file(MediaTypeRulesTest.bytes("sample.png"), "a.png", MediaType.IMAGE_PNG),
                Map.of("conversationId", conversation.toString()))
                .expectStatus().isNotFound();

        assertThat(mediaRows()).isEqualTo(rowsBefore);
        assertThat(storedFiles()).isEqualTo(filesBefore);
    }

    @Test
    void aSignedLinkServesTheFileWithoutATokenUntilTampered() {
        Uploaded uploaded = uploadJpeg();
        Link link = web.get().uri("/api/v1/media/{id}/link", uploaded.id())
                .headers(h -> h.setBearerAuth(agent(TENANT)))
                .exchange()
                .expectStatus().isOk()
                .expectBody(Link.class).returnResult().getResponseBody();

        web.get().uri(link.url()).exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.IMAGE_JPEG)
                .expectBody(byte[].class).isEqualTo(MediaTypeRulesTest.bytes("sample.jpg"));

        String longer = link.url().replaceFirst("expires=(\\d+)", "expires=9$1");
        web.get().uri(longer).exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo("https://conversa.dev/problems/forbidden");
        String otherFile = link.url().replace(uploaded.id().toString(), UUID.randomUUID().toString());
        web.get().uri(otherFile).exchange().expectStatus().isForbidden();
    }

    @Test
    void aBodyWithoutAFilePartIs400AndAnonymousUploadsAre401() {
        MultipartBodyBuilder form = new MultipartBodyBuilder();
        form.part("conversationId", conversation.toString());
        web.post().uri("/api/v1/media")
                .headers(h -> h.setBearerAuth(agent(TENANT)))
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form.build()))
                .exchange()
                .expectStatus().isBadRequest();

        web.post().uri("/api/v1/media")
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(file(MediaTypeRulesTest.bytes("sample.png"), "a.png", null)
                        .build()))
                .exchange()
                .expectStatus().isUnauthorized();
    }

    private Uploaded uploadJpeg() {
        return upload(agent(TENANT), file(MediaTypeRulesTest.bytes("sample.jpg"), "a.jpg", MediaType.IMAGE_JPEG),
                Map.of()).expectStatus().isCreated().expectBody(Uploaded.class).returnResult().getResponseBody();
    }

    private WebTestClient.ResponseSpec upload(String token, MultipartBodyBuilder form, Map<String, String> fields) {
        fields.forEach(form::part);
        return web.post().uri("/api/v1/media")
                .headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form.build()))
                .exchange();
    }

    private static MultipartBodyBuilder file(byte[] bytes, String filename, @Nullable MediaType type) {
        MultipartBodyBuilder form = new MultipartBodyBuilder();
        var part = form.part("file", bytes).filename(filename);
        part.contentType(type == null ? MediaType.APPLICATION_OCTET_STREAM : type);
        return form;
    }

    private static String agent(String tenant) {
        return TestJwts.get().token("agent-1", tenant, "agent");
    }

    private long mediaRows() {
        return servers.database().queryLong("SELECT count(*) FROM message.media");
    }

    private static long storedFiles() {
        try (Stream<Path> files = Files.walk(STORAGE)) {
            return files.filter(Files::isRegularFile).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("conversa-media-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FakeClamd startClamd() {
        try {
            return new FakeClamd();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
