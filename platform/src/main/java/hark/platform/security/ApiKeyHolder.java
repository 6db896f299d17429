package hark.platform.security;

import java.util.UUID;

/** Who an accepted API key speaks for: its owner, and whether it was made as an admin key. */
public record ApiKeyHolder(UUID keyId, String username, boolean admin) {}
