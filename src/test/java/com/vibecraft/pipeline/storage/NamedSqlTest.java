package com.vibecraft.pipeline.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NamedSqlTest {

    @Test
    void namesBecomePlaceholdersInOrderSkippingCastsAndQuotes() {
        NamedSql sql = NamedSql.of("SELECT x::text, ':notAParam' FROM t WHERE a = :first AND b = :second OR c = :first");
        assertEquals("SELECT x::text, ':notAParam' FROM t WHERE a = ? AND b = ? OR c = ?", sql.jdbcSql());
        assertEquals(List.of("first", "second", "first"), sql.names());
    }

    @Test
    void valuesAreBoundNotSpliced() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:named;MODE=PostgreSQL")) {
            c.createStatement().execute("CREATE TABLE t (name VARCHAR(100))");
            String hostile = "x'); DROP TABLE t; --";
            try (PreparedStatement ps = NamedSql.of("INSERT INTO t (name) VALUES (:name)").prepare(c, Map.of("name", hostile))) {
                ps.executeUpdate();
            }
            try (PreparedStatement ps = NamedSql.of("SELECT name FROM t WHERE name = :name").prepare(c, Map.of("name", hostile));
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(hostile, rs.getString(1));
            }
        }
    }

    @Test
    void aMissingValueIsAnError() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:named2")) {
            assertThrows(IllegalArgumentException.class, () -> NamedSql.of("SELECT :a").prepare(c, Map.of()));
        }
    }

    @Test
    void dataDirectoryRefusesPathsOutsideIt() {
        DataDirectory dir = new DataDirectory(java.nio.file.Path.of("/tmp/vibecraft-dd-test"));
        assertThrows(IllegalArgumentException.class, () -> dir.resolve("../etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> dir.resolve("/etc/passwd"));
        assertEquals(dir.root().resolve("audio/x.wav"), dir.resolve("audio/x.wav"));
    }

    @Test
    void databaseUrlsAreUnderstood() {
        java.nio.file.Path db = java.nio.file.Path.of("/data/db");
        assertEquals("jdbc:h2:file:/data/db/vibecraft;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE",
                Database.jdbcUrl("", db));
        assertEquals("jdbc:postgresql://db:5432/vibecraft", Database.jdbcUrl("postgres://u:p@db:5432/vibecraft", db));
        assertEquals("jdbc:postgresql://127.0.0.1:5432/test", Database.jdbcUrl("jdbc:postgresql://127.0.0.1:5432/test", db));
        assertThrows(IllegalArgumentException.class, () -> Database.jdbcUrl("mysql://x/y", db));
        assertEquals("postgres://u:***@db/x", Database.redact("postgres://u:secret@db/x"));
    }
}
