package com.vibecraft.pipeline.storage;

import com.vibecraft.pipeline.storage.StorageException;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** Small JDBC helpers over {@link NamedSql}: queries, updates and transactions with named parameters. */
public final class Jdbc {

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final DataSource dataSource;

    public Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public <T> List<T> query(String sql, Map<String, ?> params, RowMapper<T> mapper) {
        return inConnection(c -> query(c, sql, params, mapper), "read");
    }

    public <T> Optional<T> queryOne(String sql, Map<String, ?> params, RowMapper<T> mapper) {
        List<T> rows = query(sql, params, mapper);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public int update(String sql, Map<String, ?> params) {
        return inConnection(c -> update(c, sql, params), "write");
    }

    public static <T> List<T> query(Connection c, String sql, Map<String, ?> params, RowMapper<T> mapper)
            throws SQLException {
        try (PreparedStatement ps = NamedSql.of(sql).prepare(c, params); ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(mapper.map(rs));
            }
            return out;
        }
    }

    public static int update(Connection c, String sql, Map<String, ?> params) throws SQLException {
        try (PreparedStatement ps = NamedSql.of(sql).prepare(c, params)) {
            return ps.executeUpdate();
        }
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                if (e instanceof SQLException) {
                    discardIfBroken(c);
                }
                throw e;
            } finally {
                try {
                    c.setAutoCommit(auto);
                } catch (SQLException ignored) {
                    // a broken connection: discarded above
                }
            }
        } catch (SQLException e) {
            throw new StorageException("Database transaction failed", e);
        }
    }

    private <T> T inConnection(Work<T> work, String what) {
        try (Connection c = dataSource.getConnection()) {
            try {
                return work.run(c);
            } catch (SQLException e) {
                discardIfBroken(c);
                throw e;
            }
        } catch (SQLException e) {
            throw new StorageException("Could not " + what + " the database", e);
        }
    }

    /**
     * A connection the database dropped (a restart, a failover) must not go back into the pool: the
     * pool evicts only on errors it knows as fatal and does not test connections used moments ago, so
     * a busy poller would otherwise get the same dead connection again and again.
     */
    private void discardIfBroken(Connection c) {
        try {
            if (c.isValid(1)) {
                return;
            }
        } catch (SQLException ignored) {
            // not valid
        }
        if (dataSource instanceof HikariDataSource hikari) {
            hikari.evictConnection(c);
        }
    }

    /** Now, at the microsecond precision both H2 and PostgreSQL keep. */
    public static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * The instant in UTC as {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} writes it (seconds always, the
     * fraction without trailing zeros, {@code Z}), written by hand: every clip of a status read has three
     * of these, and the formatter was a tenth of the read's time.
     */
    public static String iso(OffsetDateTime t) {
        if (t == null) {
            return null;
        }
        LocalDateTime d = t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        if (d.getYear() < 1000 || d.getYear() > 9999) {
            return d.atOffset(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        }
        StringBuilder b = new StringBuilder(30).append(d.getYear());
        twoDigits(b.append('-'), d.getMonthValue());
        twoDigits(b.append('-'), d.getDayOfMonth());
        twoDigits(b.append('T'), d.getHour());
        twoDigits(b.append(':'), d.getMinute());
        twoDigits(b.append(':'), d.getSecond());
        int nano = d.getNano();
        if (nano > 0) {
            int digits = 9;
            while (nano % 10 == 0) {
                nano /= 10;
                digits--;
            }
            String n = Integer.toString(nano);
            b.append('.').append("000000000", 0, digits - n.length()).append(n);
        }
        return b.append('Z').toString();
    }

    private static void twoDigits(StringBuilder b, int v) {
        b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    /**
     * An IN list of named parameters, {@code :p0, :p1, …} for prefix {@code p}, each value put into
     * {@code params} under its name (SQL keeps named parameters only, even for lists).
     */
    public static String namedList(String prefix, List<?> values, Map<String, Object> params) {
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            params.put(prefix + i, values.get(i));
            in.append(i == 0 ? ":" : ", :").append(prefix).append(i);
        }
        return in.toString();
    }

    public static Integer intOrNull(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    /** By position, for row mappers that read their columns in order. */
    public static Integer intOrNull(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    public static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    public static Double doubleOrNull(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    /** A text cut to a column's width ({@code max} characters, the last one an ellipsis), or null. */
    public static String fit(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
