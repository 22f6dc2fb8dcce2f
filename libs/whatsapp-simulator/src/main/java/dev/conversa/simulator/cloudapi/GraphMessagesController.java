package dev.conversa.simulator.cloudapi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.conversa.simulator.ban.BanModel;
import dev.conversa.simulator.core.FaultInjector;
import dev.conversa.simulator.core.OutboundRequest;
import dev.conversa.simulator.core.OutboundResult;
import dev.conversa.simulator.core.OutboundService;
import dev.conversa.simulator.phone.ContactLedger;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /{version}/{phone-number-id}/messages}: sends and mark-as-read, checked in Meta's order: token (190),
 * number (100), request (100 / 131009 / 131051), ban (368), throughput (130429), pair rate (131056), 24-hour window
 * (131047, templates exempt). An accepted send answers a wamid; its statuses follow by webhook, {@code failed} with
 * 131026 for a recipient not on WhatsApp. A latency fault of the number delays the answer, not the send.
 */
@RestController
class GraphMessagesController {

    static final String CHANNEL = "cloud-api";

    private final GraphAccess access;
    private final SendRequestParser parser;
    private final OutboundService outbound;
    private final BanModel bans;
    private final ContactLedger contacts;
    private final FaultInjector faults;
    private final CloudApiProperties properties;
    private final JsonMapper mapper;
    private final Clock clock;

    GraphMessagesController(GraphAccess access, SendRequestParser parser, OutboundService outbound, BanModel bans,
            ContactLedger contacts, FaultInjector faults, CloudApiProperties properties, JsonMapper mapper,
            Clock clock) {
        this.access = access;
        this.parser = parser;
        this.outbound = outbound;
        this.bans = bans;
        this.contacts = contacts;
        this.faults = faults;
        this.properties = properties;
        this.mapper = mapper;
        this.clock = clock;
    }

    record Contact(String input, @JsonProperty("wa_id") String waId) {
    }

    record MessageId(String id) {
    }

    record SendResponse(@JsonProperty("messaging_product") String messagingProduct, List<Contact> contacts,
            List<MessageId> messages) {
    }

    @PostMapping("/{version:v\\d+\\.\\d+}/{phoneNumberId}/messages")
    Mono<Object> send(@PathVariable String phoneNumberId, ServerHttpRequest request,
            @RequestBody(required = false) @Nullable String body) {
        RegisteredNumber number = access.number(phoneNumberId, request, "post");
        Mono<Object> answer;
        try {
            answer = Mono.just(handle(number, body));
        }
        catch (GraphApiException e) {
            answer = Mono.error(e);
        }
        Duration latency = faults.latency(number.number().phoneNumber());
        return latency.isPositive() ? answer.delaySubscription(latency) : answer;
    }

    private Object handle(RegisteredNumber number, @Nullable String body) {
        return switch (parser.parse(json(body))) {
            case SendRequestParser.MarkRead read -> markRead(number, read);
            case SendRequestParser.Send send -> send(number, send);
        };
    }

    private Object markRead(RegisteredNumber number, SendRequestParser.MarkRead read) {
        if (!number.hasReceived(read.messageId())) {
            throw GraphErrors.parameterValueInvalid("Invalid message_id: " + read.messageId()
                    + " is not a message this phone number received.");
        }
        return Map.of("success", true);
    }

    private SendResponse send(RegisteredNumber number, SendRequestParser.Send send) {
        String business = number.number().phoneNumber();
        if (bans.isBanned(business)) {
            throw GraphErrors.blocked();
        }
        SendLimits limits = number.limits();
        if (!limits.tryThroughput()) {
            throw GraphErrors.throughput();
        }
        if (!limits.tryPair(send.recipient())) {
            throw GraphErrors.pairRate();
        }
        if (!send.isTemplate() && !inServiceWindow(business, send.recipient())) {
            limits.refundPair(send.recipient());
            throw GraphErrors.reEngagement();
        }
        OutboundRequest request = new OutboundRequest(CHANNEL, business, null, send.recipient(), send.type(),
                send.text(), send.bizOpaque(), send.media());
        return switch (outbound.accept(request, number::onReceipt)) {
            case OutboundResult.Accepted accepted -> new SendResponse("whatsapp",
                    List.of(new Contact(send.to(), send.recipient())),
                    List.of(new MessageId(accepted.message().waMessageId())));
            case OutboundResult.Banned banned -> throw GraphErrors.blocked();
        };
    }

    private boolean inServiceWindow(String business, String customer) {
        Instant opened = contacts.lastInbound(business, customer).orElse(null);
        return opened != null && opened.plus(properties.serviceWindow()).isAfter(clock.instant());
    }

    private JsonNode json(@Nullable String body) {
        if (body == null || body.isBlank()) {
            throw GraphErrors.invalidParameter("The parameter messaging_product is required.");
        }
        try {
            return mapper.readTree(body);
        }
        catch (JacksonException e) {
            throw GraphErrors.invalidParameter("The request body is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
