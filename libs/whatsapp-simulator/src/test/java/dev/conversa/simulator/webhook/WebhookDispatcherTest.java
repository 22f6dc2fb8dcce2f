package dev.conversa.simulator.webhook;

import static dev.conversa.simulator.webhook.WebhookTestData.SECRET;
import static dev.conversa.simulator.webhook.WebhookTestData.outbound;
import static dev.conversa.simulator.webhook.WebhookTestData.receipt;
import static dev.conversa.simulator.webhook.WebhookTestData.target;
import static dev.conversa.simulator.webhook.WebhookTestData.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.conversa.simulator.core.OutboundMessage;
import dev.conversa.simulator.core.ReceiptStatus;
import tools.jackson.databind.JsonNode;

class WebhookDispatcherTest {

    private final WebhookTestData data = new WebhookTestData();
    private final WebhookReceiver receiver = WebhookReceiver.start();
    private final AtomicReference<WebhookBehaviour> global = new AtomicReference<>(WebhookBehaviour.NORMAL);
    private final List<WebhookClient> clients = new ArrayList<>();
    private final List<WebhookDispatcher> dispatchers = new ArrayList<>();

    @AfterEach
    void stop() {
        dispatchers.forEach(WebhookDispatcher::close);
        clients.forEach(WebhookClient::destroy);
        receiver.close();
    }

    private WebhookDispatcher dispatcher(WebhookProperties properties) {
        WebhookClient client = new WebhookClient(properties);
        clients.add(client);
        WebhookDispatcher dispatcher = new WebhookDispatcher(target(receiver.url()), client, data.payloads,
                properties, global::get);
        dispatchers.add(dispatcher);
        return dispatcher;
    }

    private static List<String> messageBodies(WebhookReceiver receiver) {
        return receiver.messages().stream().map(m -> m.path("text").path("body").asString()).toList();
    }

    @Test
    void postsJsonSignedWithTheAppSecretOverTheRawBody() {
        WebhookDispatcher dispatcher = dispatcher(WebhookTestData.properties(3, 100, 1));

        dispatcher.inbound(text("wamid.1", "¿Tienen talle M? 👕"));

        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.accepted().size() == 1);
        WebhookReceiver.Post post = receiver.accepted().getFirst();
        assertThat(post.header("Content-Type")).isEqualTo("application/json");
        assertThat(post.header("X-Hub-Signature-256")).matches("sha256=[0-9a-f]{64}");
        assertThat(WebhookReceiver.signedWith(post, SECRET)).isTrue();
        assertThat(WebhookReceiver.signedWith(post, "another-secret")).isFalse();
        assertThat(messageBodies(receiver)).containsExactly("¿Tienen talle M? 👕");
    }

    @Test
    void failedPostsAreRetriedUntilAcceptedAndLaterEventsWaitInOrder() {
        WebhookDispatcher dispatcher = dispatcher(WebhookTestData.properties(10, 100, 1));
        receiver.failNext(3, 503);

        for (int i = 1; i <= 5; i++) {
            dispatcher.inbound(text("wamid." + i, "message " + i));
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.accepted().size() == 5);
        assertThat(messageBodies(receiver)).containsExactly("message 1", "message 2", "message 3", "message 4",
                "message 5");
        assertThat(receiver.posts()).hasSize(8);
        assertThat(receiver.posts().subList(0, 3)).allSatisfy(post -> {
            assertThat(post.answeredWith()).isEqualTo(503);
            assertThat(post.json().path("entry").get(0).path("changes").get(0).path("value").path("messages")
                    .get(0).path("id").asString()).isEqualTo("wamid.1");
        });
        WebhookStats stats = dispatcher.stats();
        assertThat(stats.delivered()).isEqualTo(5);
        assertThat(stats.failedAttempts()).isEqualTo(3);
        assertThat(stats.abandoned()).isZero();
        assertThat(stats.queued()).isZero();
        assertThat(stats.lastError()).contains("503");
    }

    @Test
    void aReceiverThatAnswersTooLateIsRetried() {
        WebhookDispatcher dispatcher = dispatcher(WebhookTestData.properties(5, 100, 1, Duration.ofMillis(700)));
        dispatcher.inbound(text("wamid.warm-up", "warm-up"));
        await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.stats().delivered() == 1);
        long failedBefore = dispatcher.stats().failedAttempts();
        receiver.delayNext(1, Duration.ofMillis(1500));

        dispatcher.inbound(text("wamid.slow", "slow"));

        await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.stats().delivered() == 2);
        assertThat(dispatcher.stats().failedAttempts() - failedBefore).isEqualTo(1);
        assertThat(dispatcher.stats().lastError()).isEqualTo("timeout");
        // the receiver sees the slow POST too, once it wakes up: the event reached it twice
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.posts().size() == 3);
    }

    @Test
    void aPostIsAbandonedAndCountedAfterMaxAttemptsAndTheNextEventGoesOn() {
        WebhookDispatcher dispatcher = dispatcher(WebhookTestData.properties(2, 100, 1));
        receiver.failNext(2, 500);

        dispatcher.inbound(text("wamid.lost", "lost"));
        dispatcher.inbound(text("wamid.next", "next"));

        await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.stats().delivered() == 1);
        assertThat(messageBodies(receiver)).containsExactly("next");
        assertThat(dispatcher.stats().abandoned()).isEqualTo(1);
        assertThat(dispatcher.stats().failedAttempts()).isEqualTo(2);
    }

    @Test
    void aFullQueueRefusesAndCountsTheOverflow() {
        WebhookProperties properties = new WebhookProperties(Duration.ofSeconds(30), Duration.ofSeconds(30), 10,
                Duration.ofSeconds(3), Duration.ofSeconds(1), 2, 1, 0, false, Duration.ofSeconds(1), 10);
        WebhookDispatcher dispatcher = dispatcher(properties);
        receiver.failNext(1, 503);

        List<Boolean> queued = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            queued.add(dispatcher.inbound(text("wamid." + i, "message " + i)));
        }

        // the first is in flight (and waiting to be retried), two wait in the queue, two find it full
        assertThat(queued).containsExactly(true, true, true, false, false);
        assertThat(dispatcher.stats().overflow()).isEqualTo(2);
        assertThat(dispatcher.stats().queued()).isEqualTo(2);
    }

    @Test
    void duplicateRateOnePostsEveryPayloadTwice() {
        global.set(new WebhookBehaviour(1.0, false));
        WebhookDispatcher dispatcher = dispatcher(WebhookTestData.properties(3, 100, 1));

        dispatcher.inbound(text("wamid.a", "a"));
        dispatcher.inbound(text("wamid.b", "b"));

        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.accepted().size() == 4);
        List<WebhookReceiver.Post> posts = receiver.accepted();
        assertThat(posts.get(1).body()).isEqualTo(posts.get(0).body());
        assertThat(posts.get(3).body()).isEqualTo(posts.get(2).body());
        assertThat(messageBodies(receiver)).containsExactly("a", "a", "b", "b");
        assertThat(dispatcher.stats().duplicated()).isEqualTo(2);
    }

    @Test
    void duplicateRateZeroPostsEachPayloadOnce() {
        WebhookDispatcher dispatcher = dispatcher(WebhookTestData.properties(3, 100, 1));

        for (int i = 0; i < 10; i++) {
            dispatcher.inbound(text("wamid." + i, "m" + i));
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.stats().delivered() == 10);
        assertThat(receiver.accepted()).hasSize(10);
        assertThat(dispatcher.stats().duplicated()).isZero();
    }

    @Test
    void reorderingHoldsDeliveredBackUntilAfterRead() {
        WebhookDispatcher dispatcher = dispatcher(WebhookTestData.properties(3, 100, 1));
        dispatcher.setOwnBehaviour(new WebhookBehaviour(0, true));
        OutboundMessage message = outbound("wamid.out", "text", null);

        dispatcher.status(receipt(message, ReceiptStatus.SENT));
        dispatcher.status(receipt(message, ReceiptStatus.DELIVERED));
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.accepted().size() == 1);
        assertThat(dispatcher.stats().held()).isEqualTo(1);
        dispatcher.status(receipt(message, ReceiptStatus.READ));

        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.accepted().size() == 3);
        assertThat(receiver.statusSequence()).containsExactly("wamid.out:sent", "wamid.out:read",
                "wamid.out:delivered");
        assertThat(dispatcher.stats().held()).isZero();
    }

    @Test
    void aHeldDeliveredIsReleasedWhenNoReadComes() {
        WebhookDispatcher dispatcher = dispatcher(WebhookTestData.properties(3, 100, 1));
        global.set(new WebhookBehaviour(0, true));
        OutboundMessage message = outbound("wamid.unread", "text", null);

        dispatcher.status(receipt(message, ReceiptStatus.DELIVERED));

        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.accepted().size() == 1);
        assertThat(receiver.statusSequence()).containsExactly("wamid.unread:delivered");
    }

    @Test
    void withoutReorderingStatusesKeepTheirOrder() {
        WebhookDispatcher dispatcher = dispatcher(WebhookTestData.properties(3, 100, 1));
        OutboundMessage message = outbound("wamid.ordered", "text", null);

        dispatcher.status(receipt(message, ReceiptStatus.SENT));
        dispatcher.status(receipt(message, ReceiptStatus.DELIVERED));
        dispatcher.status(receipt(message, ReceiptStatus.READ));

        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.accepted().size() == 3);
        assertThat(receiver.statusSequence()).containsExactly("wamid.ordered:sent", "wamid.ordered:delivered",
                "wamid.ordered:read");
    }

    @Test
    void eventsQueuedWhileAPostIsInFlightAreBatchedUpToMaxBatch() {
        WebhookDispatcher dispatcher = dispatcher(WebhookTestData.properties(5, 100, 3));
        receiver.failNext(1, 503);

        for (int i = 1; i <= 5; i++) {
            dispatcher.inbound(text("wamid." + i, "m" + i));
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.stats().delivered() == 5);
        List<Integer> entriesPerPost = receiver.accepted().stream()
                .map(post -> post.json().path("entry").size())
                .toList();
        assertThat(entriesPerPost).containsExactly(1, 3, 1);
        assertThat(messageBodies(receiver)).containsExactly("m1", "m2", "m3", "m4", "m5");
        JsonNode batch = receiver.accepted().get(1).json();
        assertThat(batch.path("object").asString()).isEqualTo("whatsapp_business_account");
    }

    @Test
    void aClosedDispatcherTakesNothingMore() {
        WebhookDispatcher dispatcher = dispatcher(WebhookTestData.properties(3, 100, 1));
        dispatcher.close();

        assertThat(dispatcher.inbound(text("wamid.late", "late"))).isFalse();
        assertThat(receiver.posts()).isEmpty();
    }

    @Test
    void eventsOfANumberWithoutWebhookUrlAreCountedAsDiscarded() {
        WebhookProperties properties = WebhookTestData.properties(3, 100, 1);
        WebhookClient client = new WebhookClient(properties);
        clients.add(client);
        WebhookDispatcher dispatcher = new WebhookDispatcher(
                new WebhookTarget(null, SECRET, "1", "2", WebhookTestData.BUSINESS), client, data.payloads,
                properties, global::get);
        dispatchers.add(dispatcher);

        dispatcher.inbound(text("wamid.nowhere", "nowhere"));

        await().atMost(Duration.ofSeconds(2)).until(() -> dispatcher.stats().discarded() == 1);
        assertThat(dispatcher.stats().delivered()).isZero();
    }
}
