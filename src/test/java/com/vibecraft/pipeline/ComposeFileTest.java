package com.vibecraft.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;
import com.vibecraft.pipeline.support.TestEnvironment;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * docker-compose.yml and Dockerfile, without Docker (CI has no engine): the file's structure (services,
 * images, Redis persistence flags, health checks, volumes, start order), that the app is pointed at the
 * other two services and reads every variable compose gives it, that the app's health-check command
 * really tells 200 from 503 (run with bash against a local server), and that the image builds and runs
 * the jar the pom builds.
 */
class ComposeFileTest {

    static JsonNode compose;
    static JsonNode app;
    static JsonNode redis;
    static JsonNode postgres;
    static Properties properties;

    @BeforeAll
    static void load() throws IOException {
        compose = new ObjectMapper(new YAMLFactory()).readTree(Path.of("docker-compose.yml").toFile());
        app = compose.path("services").path("app");
        redis = compose.path("services").path("redis");
        postgres = compose.path("services").path("postgres");
        properties = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("application.properties"))) {
            properties.load(r);
        }
    }

    @Test
    void servicesImagesAndRedisPersistence() {
        assertEquals(Set.of("app", "redis", "postgres"), names(compose.path("services")));
        assertEquals(".", app.path("build").isObject() ? app.path("build").path("context").asText() : app.path("build").asText());
        assertTrue(Files.isRegularFile(Path.of("Dockerfile")));

        String redisImage = redis.path("image").asText();
        assertTrue(redisImage.matches("redis:(\\d+).*") && Integer.parseInt(redisImage.replaceAll("redis:(\\d+).*", "$1")) >= 7,
                "Redis 7 or later (streams, XAUTOCLAIM): " + redisImage);
        List<String> command = strings(redis.path("command"));
        assertEquals("redis-server", command.get(0));
        assertOption(command, "--appendonly", "yes");
        assertOption(command, "--appendfsync", "everysec");
        assertOption(command, "--maxmemory-policy", "noeviction");
        assertNamedVolume(redis, "/data");

        assertEquals("postgres:16", postgres.path("image").asText());
        for (String key : List.of("POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD")) {
            assertFalse(postgres.path("environment").path(key).asText().isBlank(), key);
        }
        assertNamedVolume(postgres, "/var/lib/postgresql/data");
        assertNamedVolume(app, app.path("environment").path("VIBECRAFT_DATA_DIR").asText());
        for (JsonNode service : List.of(app, redis, postgres)) {
            assertEquals("unless-stopped", service.path("restart").asText());
        }
    }

    @Test
    void healthChecksAndStartOrder() {
        for (String name : List.of("app", "redis", "postgres")) {
            JsonNode hc = compose.path("services").path(name).path("healthcheck");
            assertFalse(strings(hc.path("test")).isEmpty(), name + " has no health check");
            assertTrue(hc.path("retries").asInt() > 0, name);
            assertFalse(hc.path("interval").asText().isBlank(), name);
            assertFalse(hc.path("timeout").asText().isBlank(), name);
        }
        assertEquals(List.of("CMD", "redis-cli", "ping"), strings(redis.path("healthcheck").path("test")));
        String pg = String.join(" ", strings(postgres.path("healthcheck").path("test")));
        assertTrue(pg.contains("pg_isready") && pg.contains("-U " + postgres.path("environment").path("POSTGRES_USER").asText())
                && pg.contains("-d " + postgres.path("environment").path("POSTGRES_DB").asText()), pg);

        // the app starts once both are healthy, and is itself healthy when ready (not merely alive)
        for (String dep : List.of("postgres", "redis")) {
            assertEquals("service_healthy", app.path("depends_on").path(dep).path("condition").asText(), dep);
        }
        List<String> test = strings(app.path("healthcheck").path("test"));
        assertEquals(List.of("CMD", "bash", "-c"), test.subList(0, 3), "/dev/tcp needs bash; CMD-SHELL runs /bin/sh");
        assertTrue(test.get(3).contains("GET /readyz "), test.get(3));
        assertTrue(test.get(3).contains("/dev/tcp/127.0.0.1/" + app.path("environment").path("VIBECRAFT_PORT").asText() + " "),
                test.get(3));
        // docker's stop waits longer than Camel's graceful shutdown
        int shutdownSec = Integer.parseInt(properties.getProperty("camel.main.shutdown-timeout").trim());
        assertTrue(seconds(app.path("stop_grace_period").asText()) > shutdownSec, app.path("stop_grace_period").asText());
    }

    @Test
    void theAppIsPointedAtPostgresAndRedis() {
        JsonNode env = app.path("environment");
        JsonNode pgEnv = postgres.path("environment");
        assertEquals("jdbc:postgresql://postgres:5432/" + pgEnv.path("POSTGRES_DB").asText(), env.path("DATABASE_URL").asText());
        assertEquals(pgEnv.path("POSTGRES_USER").asText(), env.path("DATABASE_USER").asText());
        assertEquals(pgEnv.path("POSTGRES_PASSWORD").asText(), env.path("DATABASE_PASSWORD").asText());
        assertEquals("redis://redis:6379", env.path("REDIS_URL").asText());
        String port = env.path("VIBECRAFT_PORT").asText();
        assertTrue(strings(app.path("ports")).stream().anyMatch(p -> p.endsWith(":" + port)), app.path("ports").toString());
        // secrets come from the operator's environment, never written into the file
        for (String secret : List.of("VIBECRAFT_API_TOKEN", "AUDJUST_API_KEY")) {
            assertTrue(env.path(secret).asText().matches("\\$\\{" + secret + ":-}"), secret + ": " + env.path(secret));
        }
    }

    @Test
    void everyVariableComposeSetsIsOneTheAppReads() {
        Set<String> readable = readableVariables();
        // SPEC §9's fixed names are all read
        for (String name : List.of("VIBECRAFT_PORT", "VIBECRAFT_DATA_DIR", "VIBECRAFT_INBOX_DIR", "DATABASE_URL",
                "DATABASE_USER", "DATABASE_PASSWORD", "REDIS_URL", "AUDJUST_BASE_URL", "AUDJUST_API_KEY",
                "AUDJUST_UPLOAD_PATH", "AUDJUST_STRUCTURE_PATH", "AUDJUST_TIMEOUT_SEC", "VIBECRAFT_API_TOKEN",
                "VIBECRAFT_WORKER_ENABLED", "VIBECRAFT_CLIP_GENERATOR")) {
            assertTrue(readable.contains(name), name + " is not read by application.properties");
        }
        Set<String> unread = new TreeSet<>(names(app.path("environment")));
        unread.removeAll(readable);
        assertEquals(Set.of(), unread, "compose sets variables the app never reads");
        assertFalse(readable.contains("VIBECRAFT_NO_SUCH_SETTING"));
    }

    /** {{env:NAME}} references, and the VIBECRAFT_* form of every vibecraft.* key. */
    static Set<String> readableVariables() {
        Set<String> out = new HashSet<>();
        Matcher m = Pattern.compile("\\{\\{env:([A-Za-z0-9_]+)").matcher("");
        for (String key : properties.stringPropertyNames()) {
            m.reset(properties.getProperty(key));
            while (m.find()) {
                out.add(m.group(1));
            }
            if (key.startsWith("vibecraft.")) {
                out.add(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
            }
        }
        return out;
    }

    @Test
    void theAppHealthCheckTellsReadyFromNotReady() throws Exception {
        String command = strings(app.path("healthcheck").path("test")).get(3);
        String appPort = app.path("environment").path("VIBECRAFT_PORT").asText();
        AtomicInteger status = new AtomicInteger(200);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        List<String> paths = new ArrayList<>();
        server.createContext("/", exchange -> {
            paths.add(exchange.getRequestURI().getPath());
            byte[] body = ("{\"status\":\"" + (status.get() == 200 ? "UP" : "DOWN") + "\"}").getBytes();
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String local = command.replace("/dev/tcp/127.0.0.1/" + appPort, "/dev/tcp/127.0.0.1/" + server.getAddress().getPort());
            assertEquals(0, bash(local), "ready (200) must be healthy");
            assertEquals(List.of("/readyz"), paths);
            status.set(503);
            assertNotEquals(0, bash(local), "not ready (503) must be unhealthy");
        } finally {
            server.stop(0);
        }
        int closed = TestEnvironment.freePort();
        assertNotEquals(0, bash(command.replace("/dev/tcp/127.0.0.1/" + appPort, "/dev/tcp/127.0.0.1/" + closed)),
                "nothing listening must be unhealthy");
    }

    private static int bash(String command) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the health check hung");
        return p.exitValue();
    }

    @Test
    void theImageBuildsAndRunsTheJarThePomBuilds() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        String jar = text(pom, "finalName") + ".jar";
        String release = text(pom, "maven.compiler.release");
        List<String> lines = dockerfile();

        List<String> from = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
        assertEquals(2, from.size(), "a build stage and a runtime stage: " + from);
        assertTrue(from.get(0).matches("FROM maven:\\S*temurin-" + release + " AS build"), from.get(0));
        assertTrue(from.get(1).matches("FROM eclipse-temurin:" + release + "-jre\\S*"), from.get(1));
        int runtime = lines.indexOf(from.get(1));
        List<String> build = lines.subList(0, runtime);
        List<String> run = lines.subList(runtime, lines.size());

        // the build stage has everything the pom's resources and sources come from, and packages
        Set<String> copied = new HashSet<>();
        for (String l : build) {
            if (l.startsWith("COPY ")) {
                List<String> parts = List.of(l.substring(5).trim().split("\\s+"));
                copied.addAll(parts.subList(0, parts.size() - 1));
            }
        }
        assertTrue(copied.containsAll(List.of("pom.xml", "src")), copied.toString());
        NodeList dirs = pom.getElementsByTagName("directory");
        for (int i = 0; i < dirs.getLength(); i++) {
            String dir = dirs.item(i).getTextContent().trim();
            if (dir.equals("${project.basedir}")) {
                NodeList includes = ((Element) dirs.item(i).getParentNode()).getElementsByTagName("include");
                for (int j = 0; j < includes.getLength(); j++) {
                    assertTrue(copied.contains(includes.item(j).getTextContent().trim()), includes.item(j).getTextContent());
                }
            } else if (!dir.startsWith("${")) {
                String top = dir.split("/")[0];
                assertTrue(copied.contains(top), "the pom reads " + dir + " but the image does not copy it");
            }
        }
        assertTrue(build.stream().anyMatch(l -> l.matches("RUN mvn .*\\bpackage\\b.*")), "no mvn package");

        // the runtime stage takes that jar and its lib/ (the manifest's Class-Path prefix) and runs it
        assertEquals("lib/", text(pom, "classpathPrefix"));
        String jarPath = "/app/" + jar;
        assertTrue(run.contains("COPY --from=build /src/target/" + jar + " " + jarPath), run.toString());
        assertTrue(run.contains("COPY --from=build /src/target/lib /app/lib"), run.toString());
        assertTrue(run.contains("ENTRYPOINT [\"java\", \"-jar\", \"" + jarPath + "\"]"), run.toString());
        assertTrue(run.contains("EXPOSE " + properties.getProperty("vibecraft.port").trim()), run.toString());
        assertTrue(run.contains("ENV VIBECRAFT_DATA_DIR=/data") && run.contains("VOLUME /data"), run.toString());
        // a local target/ or data/ is not sent to the build
        List<String> ignored = Files.readAllLines(Path.of(".dockerignore"));
        assertTrue(ignored.contains("target/") && ignored.contains("data/"), ignored.toString());
    }

    /** The Dockerfile's instructions, continuation lines joined, comments dropped. */
    private static List<String> dockerfile() throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : Files.readAllLines(Path.of("Dockerfile"))) {
            String line = raw.strip();
            if (line.startsWith("#") || line.isEmpty() && current.length() == 0) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            out.add(current.toString().replaceAll("\\s+", " ").trim());
            current.setLength(0);
        }
        return out;
    }

    private static String text(Document doc, String tag) {
        NodeList n = doc.getElementsByTagName(tag);
        assertTrue(n.getLength() > 0, tag);
        return n.item(0).getTextContent().trim();
    }

    private static void assertOption(List<String> command, String option, String value) {
        int i = command.indexOf(option);
        assertTrue(i > 0 && i + 1 < command.size(), option + " missing from " + command);
        assertEquals(value, command.get(i + 1), option);
    }

    /** The service mounts a named volume (declared at the top level) at {@code target}. */
    private static void assertNamedVolume(JsonNode service, String target) {
        assertFalse(target.isBlank());
        String mount = strings(service.path("volumes")).stream().filter(v -> v.endsWith(":" + target)).findFirst()
                .orElse(null);
        assertNotNull(mount, "no volume at " + target + ": " + service.path("volumes"));
        String volume = mount.substring(0, mount.length() - target.length() - 1);
        assertTrue(compose.path("volumes").has(volume), volume + " is not a declared named volume");
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else if (node.isTextual()) {
            out.add(node.asText());
        }
        return out;
    }

    private static Set<String> names(JsonNode node) {
        Set<String> out = new TreeSet<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static int seconds(String duration) {
        Matcher m = Pattern.compile("(\\d+)(s|m)").matcher(duration.trim());
        assertTrue(m.matches(), duration);
        return Integer.parseInt(m.group(1)) * (m.group(2).equals("m") ? 60 : 1);
    }
}
