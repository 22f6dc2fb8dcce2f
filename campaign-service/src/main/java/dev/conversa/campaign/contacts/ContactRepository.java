package dev.conversa.campaign.contacts;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;

import dev.conversa.web.paging.KeysetCursor;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** {@code campaign.contacts}: every query scoped to a tenant. */
@Repository
class ContactRepository {

    private static final String COLUMNS = """
            id, phone, name, attributes::text AS attributes, groups, tags, opted_out, opted_out_at, opt_out_reason,
            version, created_at, updated_at""";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** The filters of a listing; null = any. */
    record Filter(@Nullable String text, @Nullable String group, @Nullable String tag, @Nullable Boolean optedOut) {
    }

    private final DatabaseClient db;
    private final JsonMapper json;

    ContactRepository(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    Mono<Contact> find(String tenantId, UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM campaign.contacts WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenantId).bind("id", id)
                .map(this::contact).one();
    }

    Mono<UUID> idOfPhone(String tenantId, String phone) {
        return db.sql("SELECT id FROM campaign.contacts WHERE tenant_id = :tenant AND phone = :phone")
                .bind("tenant", tenantId).bind("phone", phone)
                .map(row -> row.get("id", UUID.class)).one();
    }

    /** Newest first, after the cursor's item. */
    Flux<Contact> list(String tenantId, Filter filter, @Nullable KeysetCursor after, int limit) {
        StringBuilder where = new StringBuilder("tenant_id = :tenant");
        if (filter.text() != null) {
            where.append(" AND (name ILIKE :like ESCAPE '\\' OR phone LIKE :phoneLike ESCAPE '\\')");
        }
        if (filter.group() != null) {
            where.append(" AND groups @> ARRAY[:group]::text[]");
        }
        if (filter.tag() != null) {
            where.append(" AND tags @> ARRAY[:tag]::text[]");
        }
        if (filter.optedOut() != null) {
            where.append(" AND opted_out = :optedOut");
        }
        if (after != null) {
            where.append(" AND (created_at, id) < (:afterAt, :afterId)");
        }
        GenericExecuteSpec spec = db.sql("SELECT " + COLUMNS + " FROM campaign.contacts WHERE " + where
                        + " ORDER BY created_at DESC, id DESC LIMIT :limit")
                .bind("tenant", tenantId).bind("limit", limit);
        if (filter.text() != null) {
            String escaped = filter.text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
            String digits = filter.text().replaceAll("[^0-9+]", "");
            spec = spec.bind("like", "%" + escaped + "%")
                    .bind("phoneLike", digits.isEmpty() ? "%" + escaped + "%" : "%" + digits + "%");
        }
        if (filter.group() != null) {
            spec = spec.bind("group", filter.group());
        }
        if (filter.tag() != null) {
            spec = spec.bind("tag", filter.tag());
        }
        if (filter.optedOut() != null) {
            spec = spec.bind("optedOut", filter.optedOut());
        }
        if (after != null) {
            spec = spec.bind("afterAt", after.at()).bind("afterId", after.id());
        }
        return spec.map(this::contact).all();
    }

    /** Inserts a contact; empty when the tenant already has the phone. */
    Mono<Contact> insert(UUID id, String tenantId, String phone, @Nullable String name,
            Map<String, Object> attributes, List<String> groups, List<String> tags, Instant now) {
        GenericExecuteSpec spec = db.sql("""
                INSERT INTO campaign.contacts (id, tenant_id, phone, name, attributes, groups, tags, created_at,
                       updated_at)
                VALUES (:id, :tenant, :phone, :name, :attributes::jsonb, :groups::text[], :tags::text[], :now, :now)
                ON CONFLICT (tenant_id, phone) DO NOTHING
                RETURNING\s""" + COLUMNS)
                .bind("id", id).bind("tenant", tenantId).bind("phone", phone)
                .bind("attributes", json.writeValueAsString(attributes))
                .bind("groups", groups.toArray(String[]::new)).bind("tags", tags.toArray(String[]::new))
                .bind("now", now);
        spec = name == null ? spec.bindNull("name", String.class) : spec.bind("name", name);
        return spec.map(this::contact).one();
    }

    /** Replaces the given fields if the contact is still at {@code version}; empty otherwise. */
    Mono<Contact> update(String tenantId, UUID id, long version, @Nullable String name, boolean setName,
            @Nullable Map<String, Object> attributes, @Nullable List<String> groups, @Nullable List<String> tags,
            Instant now) {
        GenericExecuteSpec spec = db.sql("""
                UPDATE campaign.contacts
                   SET name = CASE WHEN :setName THEN :name ELSE name END,
                       attributes = coalesce(:attributes::jsonb, attributes),
                       groups = coalesce(:groups::text[], groups),
                       tags = coalesce(:tags::text[], tags),
                       version = version + 1, updated_at = :now
                 WHERE tenant_id = :tenant AND id = :id AND version = :version
                RETURNING\s""" + COLUMNS)
                .bind("tenant", tenantId).bind("id", id).bind("version", version).bind("now", now)
                .bind("setName", setName);
        spec = name == null ? spec.bindNull("name", String.class) : spec.bind("name", name);
        spec = attributes == null ? spec.bindNull("attributes", String.class)
                : spec.bind("attributes", json.writeValueAsString(attributes));
        spec = groups == null ? spec.bindNull("groups", String[].class)
                : spec.bind("groups", groups.toArray(String[]::new));
        spec = tags == null ? spec.bindNull("tags", String[].class) : spec.bind("tags", tags.toArray(String[]::new));
        return spec.map(this::contact).one();
    }

    Mono<Long> delete(String tenantId, UUID id) {
        return db.sql("DELETE FROM campaign.contacts WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenantId).bind("id", id).fetch().rowsUpdated();
    }

    /** Opts the contact out (keeping the first opt-out's time and reason) or back in. */
    Mono<Contact> setOptOut(String tenantId, UUID id, boolean optedOut, @Nullable String reason, Instant now) {
        GenericExecuteSpec spec = db.sql("""
                UPDATE campaign.contacts
                   SET opted_out = :optedOut,
                       opted_out_at = CASE WHEN :optedOut THEN coalesce(opted_out_at, :now) END,
                       opt_out_reason = CASE WHEN :optedOut THEN coalesce(opt_out_reason, :reason) END,
                       version = version + 1, updated_at = :now
                 WHERE tenant_id = :tenant AND id = :id
                RETURNING\s""" + COLUMNS)
                .bind("tenant", tenantId).bind("id", id).bind("optedOut", optedOut).bind("now", now);
        spec = reason == null ? spec.bindNull("reason", String.class) : spec.bind("reason", reason);
        return spec.map(this::contact).one();
    }

    /**
     * Opts out the (tenant, phone) pairs in one statement, creating contacts that do not exist yet; a contact already
     * opted out keeps its first time and reason, so a redelivered message changes nothing.
     */
    Mono<Long> optOutAll(String[] tenants, String[] phones, String[] reasons, Instant[] times, Instant now) {
        UUID[] ids = new UUID[phones.length];
        Arrays.setAll(ids, i -> dev.conversa.web.id.Uuids.v7());
        return db.sql("""
                INSERT INTO campaign.contacts AS c (id, tenant_id, phone, opted_out, opted_out_at, opt_out_reason,
                       created_at, updated_at)
                SELECT r.id, r.tenant, r.phone, true, r.at, r.reason, :now, :now
                  FROM unnest(:ids::uuid[], :tenants::text[], :phones::text[], :reasons::text[],
                              :times::timestamptz[]) AS r(id, tenant, phone, reason, at)
                ON CONFLICT (tenant_id, phone) DO UPDATE
                   SET opted_out = true, opted_out_at = EXCLUDED.opted_out_at,
                       opt_out_reason = EXCLUDED.opt_out_reason, version = c.version + 1, updated_at = :now
                 WHERE NOT c.opted_out""")
                .bind("ids", ids).bind("tenants", tenants).bind("phones", phones).bind("reasons", reasons)
                .bind("times", times).bind("now", now)
                .fetch().rowsUpdated();
    }

    /** Distinct group or tag names of the tenant with how many contacts have each, by name. */
    Flux<Label> labels(String tenantId, boolean groups) {
        String column = groups ? "groups" : "tags";
        return db.sql("SELECT l AS name, count(*) AS contacts FROM campaign.contacts, unnest(" + column
                        + ") AS l WHERE tenant_id = :tenant GROUP BY l ORDER BY l")
                .bind("tenant", tenantId)
                .map(row -> new Label(row.get("name", String.class), row.get("contacts", Long.class)))
                .all();
    }

    /** A group or tag and its contact count. */
    record Label(String name, long contacts) {
    }

    private Contact contact(Readable row) {
        String attributes = row.get("attributes", String.class);
        return new Contact(row.get("id", UUID.class), row.get("phone", String.class), row.get("name", String.class),
                attributes == null ? Map.of() : json.readValue(attributes, MAP),
                List.of(row.get("groups", String[].class)), List.of(row.get("tags", String[].class)),
                Boolean.TRUE.equals(row.get("opted_out", Boolean.class)), row.get("opted_out_at", Instant.class),
                row.get("opt_out_reason", String.class), row.get("version", Long.class),
                row.get("created_at", Instant.class), row.get("updated_at", Instant.class));
    }
}
