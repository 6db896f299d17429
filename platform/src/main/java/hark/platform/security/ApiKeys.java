package hark.platform.security;

import hark.schemas.ApiKeyChanged;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API keys this service accepts, as a {@link hark.platform.kafka.TopicFeed} reads them off
 * {@link hark.schemas.Topics#AUTH_API_KEYS}: a key is known by its hash only, and is accepted only
 * once its issue has reached this service and until its revocation does. Until the feed has read
 * the topic after a start, keys are refused (401), never let through.
 */
public final class ApiKeys {

    private final Map<String, ApiKeyHolder> byHash = new ConcurrentHashMap<>();
    private final Map<UUID, String> hashById = new ConcurrentHashMap<>();

    public void apply(ApiKeyChanged change) {
        // Per key id, records arrive in the order they were written (one partition), so the
        // last one applied is the key's state.
        String previous = change.revoked() || change.keyHash() == null
                ? hashById.remove(change.keyId())
                : hashById.put(change.keyId(), change.keyHash());
        if (previous != null) {
            byHash.remove(previous);
        }
        if (!change.revoked() && change.keyHash() != null) {
            byHash.put(change.keyHash(), new ApiKeyHolder(change.keyId(), change.username(), change.admin()));
        }
    }

    /**
     * Whom the key speaks for. Looked up by its hash: the key is never compared with anything, so
     * how long a refusal takes says nothing about how close a guess came.
     */
    public Optional<ApiKeyHolder> holderOf(String key) {
        return Optional.ofNullable(byHash.get(ApiKeyFormat.hash(key)));
    }
}
