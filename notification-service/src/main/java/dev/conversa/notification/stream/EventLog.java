package dev.conversa.notification.stream;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The per-tenant replay log: a Redis Stream ({@code <prefix>:{tenant}:events}) holding every event relayed to the
 * tenant's browsers, capped at {@link StreamProperties#maxLength()} entries and {@link StreamProperties#retention()}.
 * The entry id is the event's SSE id.
 *
 * <p>{@link #append} is one Lua script, atomic in Redis: if the CloudEvent id was already added (by another
 * instance's relay, or by this one before a Kafka redelivery) it answers that entry's id and changes nothing;
 * otherwise it applies the event to the tenant's conversation → assignee hash, resolves who may see it, adds the
 * entry, remembers the CloudEvent id → entry id, trims the stream, and answers the new id with the id of the entry
 * before it. So every event has exactly one entry whichever instances relay it, and the assignee an entry names
 * is the same whichever instance added it.
 */
@Component
public class EventLog {

    /**
     * KEYS: stream, seen-key of this CloudEvent id, assignee hash. ARGV: max length, seen ttl (ms), min id,
     * assignee change (NONE/READ/SET/CLEAR), conversation id, new assignee, agents named by the event (comma
     * separated), name, scope, CloudEvent id, data, assignee hash ttl (s).
     * Answers {entry id, previous last entry id or '', agents, '1' if added or '0' if it was there}.
     */
    private static final RedisScript<List> APPEND = RedisScript.of("""
            local seen = redis.call('GET', KEYS[2])
            if seen then
              return {seen, '', '', '0'}
            end
            local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
            local previous = ''
            if #last > 0 then previous = last[1][1] end
            local agents = ARGV[7]
            local change = ARGV[4]
            if change == 'READ' then
              agents = redis.call('HGET', KEYS[3], ARGV[5]) or ''
            elseif change == 'SET' or change == 'CLEAR' then
              local before = redis.call('HGET', KEYS[3], ARGV[5])
              if before and before ~= '' then
                if agents == '' then agents = before else agents = agents .. ',' .. before end
              end
              if change == 'SET' then
                redis.call('HSET', KEYS[3], ARGV[5], ARGV[6])
              else
                redis.call('HDEL', KEYS[3], ARGV[5])
              end
              redis.call('EXPIRE', KEYS[3], ARGV[12])
            end
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*',
              'n', ARGV[8], 's', ARGV[9], 'a', agents, 'ce', ARGV[10], 'd', ARGV[11])
            redis.call('XTRIM', KEYS[1], 'MINID', '~', ARGV[3])
            redis.call('SET', KEYS[2], id, 'PX', ARGV[2])
            return {id, previous, agents, '1'}
            """, List.class);

    /**
     * KEYS: stream. ARGV: the client's last id. Answers '1' when entries after that id may have been trimmed away:
     * the stream's first entry is after it and the stream lost entries (entries-added above its length), or the
     * stream is gone.
     */
    private static final RedisScript<String> TRUNCATED = RedisScript.of("""
            if redis.call('EXISTS', KEYS[1]) == 0 then return '1' end
            local info = redis.call('XINFO', 'STREAM', KEYS[1])
            local length, added, first = 0, 0, nil
            for i = 1, #info, 2 do
              if info[i] == 'length' then length = info[i + 1]
              elseif info[i] == 'entries-added' then added = info[i + 1]
              elseif info[i] == 'first-entry' and info[i + 1] then first = info[i + 1][1] end
            end
            if added <= length then return '0' end
            if not first then return '1' end
            local fm, fs = string.match(first, '(%d+)-(%d+)')
            local lm, ls = string.match(ARGV[1], '(%d+)-(%d+)')
            fm, fs, lm, ls = tonumber(fm), tonumber(fs), tonumber(lm), tonumber(ls)
            if fm > lm or (fm == lm and fs > ls + 1) then return '1' end
            return '0'
            """, String.class);

    private final ReactiveStringRedisTemplate redis;
    private final StreamProperties properties;
    private final Clock clock;

    @Autowired
    EventLog(ReactiveStringRedisTemplate redis, StreamProperties properties) {
        this(redis, properties, Clock.systemUTC());
    }

    EventLog(ReactiveStringRedisTemplate redis, StreamProperties properties, Clock clock) {
        this.redis = redis;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * What {@link #append} did.
     *
     * @param id       the event's entry id
     * @param previous the entry before it when this call added it; null when it was already there
     * @param event    the event as stored, when this call added it
     */
    public record Appended(StreamId id, @Nullable StreamId previous, @Nullable ClientEvent event) {

        public boolean added() {
            return event != null;
        }
    }

    /** Adds {@code event} to its tenant's log unless its CloudEvent id is already there. */
    public Mono<Appended> append(RelayedEvent event) {
        String tenant = event.tenantId();
        long minMillis = Math.max(0, clock.millis() - properties.retention().toMillis());
        List<String> keys = List.of(streamKey(tenant), seenKey(tenant, event.sourceId()), assigneeKey(tenant));
        List<String> args = List.of(
                Integer.toString(properties.maxLength()),
                Long.toString(properties.dedupeTtl().toMillis()),
                minMillis + "-0",
                event.assignee().name(),
                event.conversationId() == null ? "" : event.conversationId(),
                event.newAssignee() == null ? "" : event.newAssignee(),
                String.join(",", event.agents()),
                event.name(),
                event.scope().code(),
                event.sourceId(),
                event.data(),
                Long.toString(Math.max(1, properties.assigneeTtl().toSeconds())));
        return redis.execute(APPEND, keys, args)
                .next()
                .map(result -> {
                    List<?> answer = (List<?>) result;
                    StreamId id = StreamId.of(answer.get(0).toString());
                    if (!"1".equals(answer.get(3).toString())) {
                        return new Appended(id, null, null);
                    }
                    String previous = answer.get(1).toString();
                    ClientEvent stored = new ClientEvent(id, event.name(), tenant, event.scope(),
                            agents(answer.get(2).toString()), event.data());
                    return new Appended(id, previous.isEmpty() ? StreamId.ZERO : StreamId.of(previous), stored);
                });
    }

    /** The id of the tenant's last entry, {@link StreamId#ZERO} when it has none. */
    public Mono<StreamId> lastId(String tenant) {
        return redis.opsForStream().reverseRange(streamKey(tenant), Range.unbounded(), Limit.limit().count(1))
                .next()
                .map(record -> StreamId.of(record.getId().getValue()))
                .defaultIfEmpty(StreamId.ZERO);
    }

    /**
     * The tenant's entries after {@code after} up to {@code upTo} (to the end when null), in order, read in pages
     * of {@link StreamProperties#replayPage()}.
     */
    public Flux<ClientEvent> after(String tenant, StreamId after, @Nullable StreamId upTo) {
        String key = streamKey(tenant);
        int page = properties.replayPage();
        return readPage(key, tenant, after.next(), upTo, page)
                .expand(events -> events.size() < page ? Mono.empty()
                        : readPage(key, tenant, events.getLast().id().next(), upTo, page))
                .flatMapIterable(events -> events);
    }

    /** Whether entries after {@code lastSeen} may have been trimmed from the tenant's log before being replayed. */
    public Mono<Boolean> truncatedAfter(String tenant, StreamId lastSeen) {
        return redis.execute(TRUNCATED, List.of(streamKey(tenant)), List.of(lastSeen.toString()))
                .next()
                .map("1"::equals)
                .defaultIfEmpty(false);
    }

    private Mono<List<ClientEvent>> readPage(String key, String tenant, StreamId from, @Nullable StreamId upTo,
            int page) {
        Range<String> range = upTo == null ? Range.rightUnbounded(Range.Bound.inclusive(from.toString()))
                : Range.closed(from.toString(), upTo.toString());
        if (upTo != null && from.isAfter(upTo)) {
            return Mono.just(List.of());
        }
        return redis.opsForStream().range(key, range, Limit.limit().count(page))
                .map(record -> event(tenant, record))
                .collectList();
    }

    private static ClientEvent event(String tenant, MapRecord<String, Object, Object> record) {
        Map<Object, Object> fields = record.getValue();
        return new ClientEvent(StreamId.of(record.getId().getValue()), text(fields, "n"), tenant,
                Scope.ofCode(text(fields, "s")), agents(text(fields, "a")), text(fields, "d"));
    }

    private static String text(Map<Object, Object> fields, String name) {
        Object value = fields.get(name);
        return value == null ? "" : value.toString();
    }

    private static List<String> agents(String joined) {
        if (joined.isEmpty()) {
            return List.of();
        }
        List<String> agents = new ArrayList<>();
        for (String agent : Arrays.asList(joined.split(","))) {
            if (!agent.isEmpty() && !agents.contains(agent)) {
                agents.add(agent);
            }
        }
        return agents;
    }

    String streamKey(String tenant) {
        return properties.keyPrefix() + ":{" + tenant + "}:events";
    }

    String assigneeKey(String tenant) {
        return properties.keyPrefix() + ":{" + tenant + "}:assignees";
    }

    private String seenKey(String tenant, String eventId) {
        return properties.keyPrefix() + ":{" + tenant + "}:seen:" + eventId;
    }
}
