package hark.upload.apikey;

import java.time.OffsetDateTime;
import java.util.UUID;

/** An API key as stored and listed: never the key, which only its maker ever sees. */
public record ApiKey(
        UUID id, String username, String name, boolean admin, OffsetDateTime createdAt, OffsetDateTime lastUsedAt) {}
