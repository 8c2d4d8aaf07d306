package com.vibecraft.pipeline.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SQL with {@code :name} parameters, translated once to JDBC {@code ?} placeholders.
 * Values are always bound, never spliced into the text.
 */
public final class NamedSql {

    private static final Map<String, NamedSql> CACHE = new ConcurrentHashMap<>();

    private final String jdbcSql;
    private final List<String> names;

    private NamedSql(String jdbcSql, List<String> names) {
        this.jdbcSql = jdbcSql;
        this.names = names;
    }

    public static NamedSql of(String sql) {
        return CACHE.computeIfAbsent(sql, NamedSql::parse);
    }

    static NamedSql parse(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        List<String> names = new ArrayList<>();
        boolean inQuote = false;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\'') {
                inQuote = !inQuote;
                out.append(c);
            } else if (!inQuote && c == ':' && i + 1 < sql.length() && sql.charAt(i + 1) == ':') {
                out.append("::"); // PostgreSQL cast, not a parameter
                i++;
            } else if (!inQuote && c == ':' && i + 1 < sql.length() && Character.isJavaIdentifierStart(sql.charAt(i + 1))) {
                int j = i + 1;
                while (j < sql.length() && Character.isJavaIdentifierPart(sql.charAt(j))) {
                    j++;
                }
                names.add(sql.substring(i + 1, j));
                out.append('?');
                i = j - 1;
            } else {
                out.append(c);
            }
        }
        return new NamedSql(out.toString(), List.copyOf(names));
    }

    public String jdbcSql() {
        return jdbcSql;
    }

    public List<String> names() {
        return names;
    }

    public PreparedStatement prepare(Connection connection, Map<String, ?> params) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(jdbcSql);
        try {
            bind(ps, params);
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    public void bind(PreparedStatement ps, Map<String, ?> params) throws SQLException {
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (!params.containsKey(name)) {
                throw new IllegalArgumentException("No value for SQL parameter :" + name);
            }
            ps.setObject(i + 1, params.get(name));
        }
    }
}
