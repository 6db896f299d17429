package hark.platform.storage.objects;

import java.time.Instant;

/** An object as a listing shows it; {@code lastModified} is what the sweepers judge age by. */
public record StoredObject(String key, long size, Instant lastModified) {}
