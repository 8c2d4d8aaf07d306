package com.vibecraft.pipeline.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit the embedded H2 database acknowledged survives the process being killed with SIGKILL
 * right after it: an upload answered 201 is never lost. (H2's default keeps commits in memory for up
 * to half a second; CrashRecoveryIT lost a song that way.)
 */
class EmbeddedDatabaseDurabilityTest {

    @TempDir
    Path dir;

    /** The child process: commits rows one by one, saying so after each commit, until it is killed. */
    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(Database.jdbcUrl("", Path.of(args[0])), "", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS acknowledged (n INT PRIMARY KEY)");
            for (int n = 1; ; n++) {
                s.executeUpdate("INSERT INTO acknowledged VALUES (" + n + ")");
                System.out.println("committed " + n);
                System.out.flush();
                Thread.sleep(20);
            }
        }
    }

    @Test
    void everyAcknowledgedCommitSurvivesSigkill() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EmbeddedDatabaseDurabilityTest.class.getName(),
                dir.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        int acknowledged = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                acknowledged = Integer.parseInt(line.substring("committed ".length()));
                if (acknowledged == 25) {
                    child.destroyForcibly(); // SIGKILL right after the 25th commit was acknowledged
                    break;
                }
            }
        }
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        assertEquals(25, acknowledged, "the child got as far as 25 commits");
        try (Connection c = DriverManager.getConnection(Database.jdbcUrl("", dir), "", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*), MAX(n) FROM acknowledged")) {
            rs.next();
            assertTrue(rs.getInt(2) >= 25, "acknowledged commits lost: the database holds up to " + rs.getInt(2));
        }
    }
}
