package hark.upload.apikey;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How many API keys, and how long their names.
 *
 * @param maxPerUser    {@code HARK_API_KEYS_PER_USER}: keys one account may have at once; a cap,
 *                      so that a stolen sign-in cannot fill the table (and every service's memory)
 * @param maxNameLength {@code HARK_API_KEY_NAME_LENGTH}: characters in a key's name
 */
@ConfigurationProperties("hark.api-keys")
public record ApiKeyProperties(int maxPerUser, int maxNameLength) {}
