package com.vibecraft.pipeline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vibecraft.pipeline.App;
import com.vibecraft.pipeline.support.Http;
import com.vibecraft.pipeline.support.TestAudio;
import com.vibecraft.pipeline.support.TestEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every refusal of the upload table (SPEC §7), each with a JSON message and nothing stored. */
@CamelMainTest(mainClass = App.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UploadRejectionTest {

    static final long LIMIT = 3L * 1024 * 1024;
    static Path dataDir;

    @BeforeAll
    static void environment() {
        dataDir = TestEnvironment.prepare("upload", Map.of(
                "vibecraft.upload.max-bytes", String.valueOf(LIMIT),
                "vibecraft.upload.max-duration-sec", "30"));
    }

    private static String songsUrl() {
        return TestEnvironment.baseUrl() + "/api/v1/songs";
    }

    private static void assertError(Http.Response r, int status, String detailPart) {
        assertEquals(status, r.status(), r.body());
        assertEquals(status, r.json().path("status").asInt());
        assertTrue(r.json().path("detail").asText().contains(detailPart),
                "detail '" + r.json().path("detail").asText() + "' lacks '" + detailPart + "'");
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }

    @Test
    void missingFileIs400() {
        assertError(Http.upload(songsUrl(), "file", null, null, "only a title"), 400, "field 'file'");
        assertError(Http.post(songsUrl()), 400, "field 'file'");
        assertError(Http.upload(songsUrl(), "audio", "a.wav", new byte[100], null), 400, "field 'file'");
        assertNothingStored();
    }

    @Test
    void twoFilesInOneUploadAre400() {
        byte[] a = TestAudio.wav(TestAudio.sine(8000, 1, 440, 0.5), 8000);
        byte[] b = TestAudio.wav(TestAudio.sine(8000, 1, 660, 0.5), 8000);
        assertError(Http.uploadMany(songsUrl(), "file", a, b), 400, "exactly one file");
        assertNothingStored();
    }

    @Test
    void largeBodiesAreRefusedEverywhereButTheUpload() throws IOException {
        for (String head : new String[] {
                "POST /api/v1/songs/00000000-0000-0000-0000-000000000000/analyze HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Type: application/octet-stream\r\nContent-Length: 200000000\r\n\r\n",
                "POST /api/v1/songs HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                        + "Content-Length: 200000000\r\n\r\n",
                "PUT /api/v1/songs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"}) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), TestEnvironment.port())) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                // answered from the headers alone, before any of the body is buffered
                String response = readResponse(s.getInputStream());
                assertTrue(response.startsWith("HTTP/1.1 413"), response);
                assertTrue(response.contains("Only song uploads"), response);
            }
        }
        assertNothingStored();
    }

    @Test
    void emptyFileIs400() {
        assertError(Http.upload(songsUrl(), "file", "empty.wav", new byte[0], null), 400, "empty");
        assertNothingStored();
    }

    @Test
    void pngRenamedMp3Is415() {
        byte[] png = new byte[4096];
        byte[] magic = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        System.arraycopy(magic, 0, png, 0, magic.length);
        assertError(Http.upload(songsUrl(), "file", "cover.mp3", png, null), 415, "not a supported audio format");
        assertError(Http.upload(songsUrl(), "file", "zip.wav", "PK\u0003\u0004junkjunkjunk".getBytes(), null), 415,
                "not a supported audio format");
        assertNothingStored();
    }

    @Test
    void undecodableAndTooLongAre422() {
        byte[] wav = TestAudio.wav(TestAudio.sine(8000, 2, 440, 0.5), 8000);
        byte[] broken = wav.clone();
        broken[22] = 0; // zero channels: a WAV header nothing can decode
        broken[23] = 0;
        assertError(Http.upload(songsUrl(), "file", "broken.wav", broken, null), 422, "WAV");
        byte[] tooLong = TestAudio.wav(new float[8000 * 31], 8000);
        assertError(Http.upload(songsUrl(), "file", "long.wav", tooLong, null), 422, "longer than the limit");
        assertNothingStored();
    }

    @Test
    void aBlipShorterThanTheMinimumIs422WithItsLength() {
        float[] noise = new float[40]; // 5 ms at 8 kHz
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) (random.nextGaussian() * 0.3);
        }
        assertError(Http.upload(songsUrl(), "file", "blip.wav", TestAudio.wav(noise, 8000), null), 422,
                "The audio lasts 0.005 s; songs must last at least 1 s.");
        assertNothingStored();
    }

    @Test
    void oversizedUploadWithContentLengthIsRefusedBeforeTheBody() throws IOException {
        long declared = 60L * 1024 * 1024;
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), TestEnvironment.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/v1/songs HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: " + declared + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // no body byte sent: the answer must come from the headers alone
            String response = readResponse(s.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 413"), response);
            assertTrue(response.contains("\"status\":413"), response);
            assertTrue(response.contains("limit of " + LIMIT + " bytes"), response);
        }
        assertNothingStored();
    }

    @Test
    void oversizedChunkedUploadIsCutOffWhileStreaming() throws Exception {
        long total = 60L * 1024 * 1024;
        AtomicLong sent = new AtomicLong();
        String response;
        long sentWhenAnswered;
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), TestEnvironment.port())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            Thread writer = new Thread(() -> {
                try {
                    out.write(("POST /api/v1/songs HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
                            + "Content-Type: multipart/form-data; boundary=xyz\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    byte[] part = ("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.wav\"\r\n"
                            + "Content-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                    out.write((Integer.toHexString(part.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(part);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = new byte[64 * 1024];
                    byte[] head = ("10000\r\n").getBytes(StandardCharsets.US_ASCII);
                    while (sent.get() < total) {
                        out.write(head);
                        out.write(chunk);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        sent.addAndGet(chunk.length);
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException expected) {
                    // the server closed the connection: that is the point
                }
            });
            writer.start();
            response = readResponse(s.getInputStream());
            sentWhenAnswered = sent.get();
            writer.join(20_000);
        }
        assertTrue(response.startsWith("HTTP/1.1 413"), response);
        // loopback buffers hold a few MB at most: an answer after ~10 MB means the limit cut the stream
        assertTrue(sentWhenAnswered < total / 2, "the server answered only after " + sentWhenAnswered + " bytes");
        assertNothingStored();
    }

    private static String readResponse(InputStream in) throws IOException {
        byte[] buf = new byte[4096];
        StringBuilder b = new StringBuilder();
        int n;
        while (!b.toString().contains("}") && (n = in.read(buf)) > 0) {
            b.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    private static void assertNothingStored() {
        Http.Response list = Http.get(songsUrl());
        assertEquals(0, list.json().size(), "no song row: " + list.body());
        for (String dir : new String[] {"audio", "staging"}) {
            Path p = dataDir.resolve(dir);
            if (Files.isDirectory(p)) {
                try (Stream<Path> files = Files.list(p)) {
                    assertEquals(0, files.count(), "no file left in " + p);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }
}
