package com.vibecraft.pipeline.support;

import com.vibecraft.pipeline.storage.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.h2.tools.Server;

/**
 * An H2 database behind a TCP server the test owns, so that "the database is gone" is real: its port
 * stops answering, and comes back with the data when the test starts it again.
 */
public final class StoppableH2 implements AutoCloseable {

    private final int port = TestEnvironment.freePort();
    private final Path dir;
    private Server server;

    private StoppableH2(Path dir) {
        this.dir = dir;
    }

    public static StoppableH2 start() throws IOException, SQLException {
        Path dir = Files.createTempDirectory("vibecraft-stoppable-h2-");
        TestEnvironment.deleteOnExit(dir);
        StoppableH2 db = new StoppableH2(dir);
        db.startAgain();
        return db;
    }

    /** The service's JDBC URL for it (the embedded database's PostgreSQL mode and settings). */
    public String url() {
        return "jdbc:h2:tcp://127.0.0.1:" + port
                + "/vibecraft" + Database.H2_DIALECT + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    /** Starts the server (again) on its port. */
    public void startAgain() throws SQLException {
        server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-baseDir", dir.toString(), "-ifNotExists")
                .start();
    }

    public void stop() {
        server.stop();
    }

    @Override
    public void close() {
        stop();
    }
}
