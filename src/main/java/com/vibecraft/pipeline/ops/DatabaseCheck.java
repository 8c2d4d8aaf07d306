package com.vibecraft.pipeline.ops;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness: the database answers a trivial query within the health timeout. */
public class DatabaseCheck extends AbstractHealthCheck {

    private final DataSource dataSource;
    private final long timeoutMs;

    public DatabaseCheck(DataSource dataSource, long timeoutMs) {
        super("vibecraft", "database");
        this.dataSource = dataSource;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        long start = System.nanoTime();
        try {
            TimeLimit.call(() -> {
                try (Connection c = dataSource.getConnection()) {
                    try (Statement s = c.createStatement()) {
                        s.setQueryTimeout((int) Math.max(1, (timeoutMs + 999) / 1000));
                        try (ResultSet rs = s.executeQuery("SELECT 1")) {
                            rs.next();
                            return rs.getInt(1);
                        }
                    } catch (SQLException e) {
                        // a connection the database dropped is not given out again (the pool evicts
                        // only on errors it knows as fatal, and skips its own test on recently used ones)
                        if (dataSource instanceof HikariDataSource hikari) {
                            hikari.evictConnection(c);
                        }
                        throw e;
                    }
                }
            }, timeoutMs);
            builder.up().detail("latencyMs", (System.nanoTime() - start) / 1_000_000);
        } catch (Exception e) {
            builder.down().message("database unreachable: " + TimeLimit.reason(e));
        }
    }
}
