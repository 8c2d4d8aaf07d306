package com.vibecraft.pipeline.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;

/** Builds the connection pool (H2 file by default, PostgreSQL when configured) and migrates the schema. */
public final class Database {

    private Database() {
    }

    /**
     * The service's defaults: a request waits at most 5 s for a connection, start-up at most 10 s.
     *
     * @param url      a JDBC URL, a {@code postgres://user:pass@host/db} URL, or blank for embedded H2
     * @param dbDir    where the embedded H2 file lives
     */
    public static HikariDataSource open(String url, String user, String password, int poolSize, Path dbDir) {
        return open(url, user, password, poolSize, 5_000, 10_000, dbDir);
    }

    /**
     * @param connectionTimeoutMs a request waits at most this long for a connection, then fails (503)
     *                            instead of hanging ({@code vibecraft.database.connection-timeout-ms})
     * @param startTimeoutMs      a database that does not answer this long stops start-up
     *                            ({@code vibecraft.database.start-timeout-ms})
     */
    public static HikariDataSource open(String url, String user, String password, int poolSize,
                                        long connectionTimeoutMs, long startTimeoutMs, Path dbDir) {
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName("vibecraft-db");
        cfg.setMaximumPoolSize(poolSize);
        cfg.setConnectionTimeout(connectionTimeoutMs);
        cfg.setInitializationFailTimeout(startTimeoutMs);
        String jdbcUrl = jdbcUrl(url, dbDir);
        cfg.setJdbcUrl(jdbcUrl);
        UserInfo info = userInfo(url);
        String u = notBlank(user) ? user : info.user;
        String p = notBlank(password) ? password : info.password;
        if (u != null) {
            cfg.setUsername(u);
        } else if (jdbcUrl.startsWith("jdbc:h2:")) {
            cfg.setUsername("sa");
        }
        if (p != null) {
            cfg.setPassword(p);
        }
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(cfg);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot connect to the database at " + redact(jdbcUrl) + ": "
                    + rootMessage(e), e);
        }
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw new IllegalStateException("Database migration failed on " + redact(jdbcUrl) + ": "
                    + rootMessage(e), e);
        }
        return ds;
    }

    /** H2's settings for our SQL: PostgreSQL's dialect, lower-case names, NULLs sorted last. */
    public static final String H2_DIALECT = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    static String jdbcUrl(String url, Path dbDir) {
        if (!notBlank(url)) {
            // WRITE_DELAY=0: a commit is written before it is acknowledged (H2's default holds commits
            // for up to 500 ms, and a killed process lost songs it had answered 201 for).
            // DB_CLOSE_ON_EXIT=FALSE: on a graceful stop H2's own shutdown hook closed the database while
            // Camel was still finishing its work (a composition then failed with "Database is already
            // closed"); the pool closes it last instead
            return "jdbc:h2:file:" + dbDir.resolve("vibecraft").toAbsolutePath()
                    + H2_DIALECT + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
        }
        String u = url.trim();
        if (u.startsWith("jdbc:")) {
            return u;
        }
        if (u.startsWith("postgres://") || u.startsWith("postgresql://")) {
            URI uri = URI.create(u);
            String host = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
            return "jdbc:postgresql://" + host + uri.getPath() + (uri.getQuery() == null ? "" : "?" + uri.getQuery());
        }
        throw new IllegalArgumentException("DATABASE_URL must be a JDBC URL (jdbc:postgresql://host:5432/db) "
                + "or postgres://user:password@host:5432/db, got '" + redact(u) + "'");
    }

    private record UserInfo(String user, String password) {
    }

    private static UserInfo userInfo(String url) {
        if (!notBlank(url) || url.startsWith("jdbc:")) {
            return new UserInfo(null, null);
        }
        String info = URI.create(url.trim()).getUserInfo();
        if (info == null) {
            return new UserInfo(null, null);
        }
        int colon = info.indexOf(':');
        return colon < 0 ? new UserInfo(info, null) : new UserInfo(info.substring(0, colon), info.substring(colon + 1));
    }

    /** The URL without a password, for messages. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//([^:/@]+):[^@/]*@", "//$1:***@");
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
