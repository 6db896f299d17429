package hark.platform.db;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** JDBC coordinates for migrations; the services themselves talk R2DBC to the same database. */
@ConfigurationProperties("hark.database")
public record DatabaseProperties(String url, String user, String password) {}
