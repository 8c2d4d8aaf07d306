package com.vibecraft.pipeline.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vibecraft.pipeline.App;
import com.vibecraft.pipeline.clips.preview.PreviewClipRenderer;
import com.vibecraft.pipeline.support.FakePredictionsApi;
import com.vibecraft.pipeline.support.FakePredictionsApi.Reply;
import com.vibecraft.pipeline.support.FakePredictionsApi.Request;
import com.vibecraft.pipeline.support.TestAudio;
import com.vibecraft.pipeline.support.TestEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page in real headless Chromium (Debian's /usr/bin/chromium and chromedriver) against the
 * service: upload a generated song, watch its sections appear, play one section, see clips
 * complete, retry the one the (local, fake) video API failed, and use the API token. Screenshots of
 * the main views go to target/screenshots/.
 */
@CamelMainTest(mainClass = App.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebPageIT {

    static final String TOKEN = "e2e-secret-token";
    static final Path SHOTS = Path.of("target", "screenshots");
    static VideoApi videoApi;
    static Path work;
    ChromeDriver browser;
    WebDriverWait wait;

    @BeforeAll
    static void environment() throws Exception {
        videoApi = new VideoApi();
        Map<String, String> p = new HashMap<>();
        p.put("vibecraft.redis.prefix", "web-" + System.nanoTime());
        p.put("vibecraft.clip-generator", "http");
        p.put("vibecraft.video.base-url", videoApi.baseUrl());
        p.put("vibecraft.video.api-token", "video-token");
        p.put("vibecraft.video.model", "test/video-model");
        p.put("vibecraft.video.poll-interval-ms", "50");
        // the clip the fake API fails is not retried on its own: it stays failed until the user retries
        p.put("vibecraft.clips.max-attempts", "1");
        p.put("vibecraft.api-token", TOKEN);
        p.put("vibecraft.compose.auto", "true");
        work = TestEnvironment.prepare("web", p);
        Files.createDirectories(SHOTS);
    }

    @BeforeAll
    void startBrowser() {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/chromium")) && Files.isExecutable(Path.of("/usr/bin/chromedriver")),
                "the browser tests need Debian's chromium and chromium-driver (scripts/install-chromium.sh installs them)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--autoplay-policy=no-user-gesture-required", "--window-size=1280,1400",
                "--user-data-dir=" + work.resolve("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.pollingEvery(Duration.ofMillis(100));
        // the page redraws a card when its clip changes: an element found a moment ago may be gone
        wait.ignoring(StaleElementReferenceException.class);
    }

    /** The service starts after the browser (per test), so each test opens the page if it is not open yet. */
    @BeforeEach
    void openPage() {
        if (!browser.getCurrentUrl().startsWith(TestEnvironment.baseUrl())) {
            browser.get(TestEnvironment.baseUrl() + "/");
        }
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        videoApi.close();
    }

    @Test
    @Order(1)
    void refusedUploadShowsTheServersMessage() throws Exception {
        assertEquals("Vibecraft Pipeline", browser.getTitle());

        // without the token the service refuses the upload, and the page says why
        browser.findElement(By.id("file-input")).sendKeys(song("no-token.wav").toString());
        String message = waitForText(By.id("upload-message"), "401");
        assertTrue(message.contains("token") || message.contains("Authorization"), message);

        // with the token, a file that is not audio: the 415 text is shown
        useToken();
        Path notAudio = work.resolve("notes.wav");
        Files.writeString(notAudio, "this is a shopping list, not a song\n".repeat(20));
        browser.findElement(By.id("file-input")).sendKeys(notAudio.toString());
        message = waitForText(By.id("upload-message"), "415");
        assertTrue(message.toLowerCase().contains("format") || message.toLowerCase().contains("audio"), message);
        assertEquals("", browser.findElement(By.cssSelector("#songs tbody")).getText(), "nothing was stored");
    }

    @Test
    @Order(2)
    void uploadShowsSectionsAndPlaysOneSection() throws Exception {
        browser.findElement(By.id("title-input")).sendKeys("Web test song");
        browser.findElement(By.id("file-input")).sendKeys(song("web-song.wav").toString());
        waitForText(By.id("upload-message"), "Uploaded");
        wait.until(d -> d.findElement(By.id("song-title")).getText().equals("Web test song"));
        List<WebElement> sections = wait.until(d -> {
            List<WebElement> s = d.findElements(By.cssSelector("#timeline .section"));
            return s.size() >= 2 ? s : null;
        });
        assertEquals("analyzed", browser.findElement(By.id("song-status")).getText());
        assertTrue(browser.findElement(By.id("song-bpm")).getText().matches("\\d+\\.\\d"), "BPM shown");
        // the song's key, mood and genre guess, and each section's key and mood under its name
        assertTrue(browser.findElement(By.id("song-key")).getText().matches("[A-G]b? (major|minor) \\(confidence \\d\\.\\d\\d\\)"),
                browser.findElement(By.id("song-key")).getText());
        assertTrue(browser.findElement(By.id("song-mood")).getText().contains("valence"),
                browser.findElement(By.id("song-mood")).getText());
        assertTrue(browser.findElement(By.id("song-genre")).getText().matches("[a-z-]+ \\(\\d+ %\\).*"),
                browser.findElement(By.id("song-genre")).getText());
        for (WebElement s : sections) {
            assertTrue(s.findElement(By.cssSelector(".section-meta")).getAttribute("textContent")
                    .matches("[A-G]b? (major|minor) · .+ · energy \\d\\.\\d\\d"), s.getAttribute("textContent"));
        }
        assertTrue(browser.findElement(By.id("song-source")).getText().startsWith("local detector (fallback: Audjust is not configured"),
                browser.findElement(By.id("song-source")).getText());
        assertTrue(browser.findElement(By.cssSelector("#songs tbody")).getText().contains("Web test song"));
        // widths follow the sections' lengths, and the names are the display names
        double total = 0;
        for (WebElement s : sections) {
            total += s.getRect().getWidth();
            assertFalse(s.getText().isBlank());
        }
        double timelineWidth = browser.findElement(By.id("timeline")).getRect().getWidth();
        assertTrue(Math.abs(total - timelineWidth) <= sections.size() + 2, total + " vs " + timelineWidth);
        screenshot("song-view");

        // play the second section, sampled while it plays (at 3x so the test is short)
        WebElement second = sections.get(1);
        double[] bounds = sectionBounds(1);
        js("document.getElementById('section-audio').defaultPlaybackRate = 3;"
                + "document.getElementById('section-audio').playbackRate = 3;");
        second.sendKeys(Keys.ENTER); // keyboard operable: Enter on the focused section plays it
        List<Double> positions = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 30_000;
        boolean playing = true;
        while (System.currentTimeMillis() < deadline) {
            Object t = js("return document.getElementById('section-audio').currentTime;");
            positions.add(((Number) t).doubleValue());
            playing = browser.findElement(By.id("player-state")).getText().startsWith("Playing");
            if (!playing && positions.size() > 5) {
                break;
            }
            Thread.sleep(50);
        }
        assertFalse(playing, "the player stops by itself at the section's end");
        assertTrue(browser.findElement(By.id("player-state")).getText().contains("played to its end"));
        double max = positions.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertTrue(max > bounds[0] + 3, "the audio advanced: " + positions);
        for (double p : positions) {
            if (p == 0) {
                continue; // before the first seek
            }
            assertTrue(p >= bounds[0] - 0.05 && p <= bounds[1] + 0.05,
                    p + " outside the section " + bounds[0] + "–" + bounds[1] + ": " + positions);
        }
        assertEquals(Boolean.TRUE, js("return document.getElementById('section-audio').paused;"));
    }

    @Test
    @Order(3)
    void clipsCompleteAndAFailedOneIsRetried() throws Exception {
        // the fake video API fails the first prediction, so one clip ends failed, the rest completed
        wait.withMessage(this::pageState).until(d -> {
            String summary = d.findElement(By.id("clip-summary")).getText();
            return summary.contains("0 processing, 0 queued, 1 failed") ? summary : null;
        });
        List<WebElement> failed = browser.findElements(By.cssSelector(".clip[data-status=failed]"));
        assertEquals(1, failed.size());
        assertTrue(failed.get(0).getText().contains("Error:"), failed.get(0).getText());
        int completed = browser.findElements(By.cssSelector(".clip[data-status=completed]")).size();
        assertTrue(completed >= 5, "completed cards: " + completed);
        assertFalse(browser.findElements(By.cssSelector(".clip[data-status=completed] video")).isEmpty());
        screenshot("clips-with-failure");
        assertAccessible();

        String failedId = failed.get(0).getAttribute("data-clip");
        failed.get(0).findElement(By.cssSelector("button.retry")).click();
        wait.until(d -> d.findElement(By.cssSelector(".clip[data-clip='" + failedId + "']"))
                .getAttribute("data-status").equals("completed"));
        String summary = waitForText(By.id("clip-summary"), "0 failed");
        assertTrue(summary.contains((completed + 1) + " completed"), summary);
        screenshot("clips-completed");
    }

    @Test
    @Order(4)
    void theComposedVideoPlaysAndItsTimelineFollowsIt() throws Exception {
        // every clip completed after the retry: the video is composed on its own
        String state = wait.withMessage(this::pageState).until(d -> {
            String text = d.findElement(By.id("video-state")).getText();
            return text.startsWith("The video is composed.") ? text : null;
        });
        assertTrue(state.contains("320×180") || state.contains("×"), state);
        wait.until(d -> d.findElement(By.id("song-video")).isDisplayed());
        WebElement download = browser.findElement(By.id("video-download"));
        assertTrue(download.getAttribute("href").contains("/api/v1/songs/"), download.getAttribute("href"));
        assertTrue(download.getAttribute("download").endsWith(".mp4"));
        List<WebElement> blocks = browser.findElements(By.cssSelector("#video-timeline .section"));
        assertTrue(blocks.size() >= 2, "sections under the video: " + blocks.size());
        screenshot("video");
        assertAccessible();

        // a click on a section seeks the video there and marks it
        double[] second = sectionBounds(1);
        blocks.get(1).click();
        wait.until(d -> Math.abs(((Number) js("return document.getElementById('song-video').currentTime;")).doubleValue()
                - second[0]) < 0.05);
        assertEquals("true", blocks.get(1).getAttribute("aria-current"));
        assertEquals("false", blocks.get(0).getAttribute("aria-current"));

        // while it plays, the marked section is the one holding currentTime
        List<double[]> bounds = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            bounds.add(sectionBounds(i));
        }
        js("const v = document.getElementById('song-video'); v.muted = true; v.playbackRate = 4; v.play();");
        long deadline = System.currentTimeMillis() + 8_000;
        int samples = 0;
        double first = -1;
        double last = -1;
        while (System.currentTimeMillis() < deadline && samples < 40) {
            @SuppressWarnings("unchecked")
            List<Object> now = (List<Object>) js("const v = document.getElementById('song-video');"
                    + "const on = [...document.querySelectorAll('#video-timeline .section')]"
                    + "  .findIndex(b => b.getAttribute('aria-current') === 'true');"
                    + "return [v.currentTime, on, v.paused, v.error ? v.error.message || String(v.error.code) : ''];");
            assertEquals("", now.get(3), "the browser plays the video");
            double t = ((Number) now.get(0)).doubleValue();
            int on = ((Number) now.get(1)).intValue();
            if (first < 0) {
                first = t;
            }
            last = t;
            assertTrue(on >= 0, "a section is marked at " + t + " s");
            double[] b = bounds.get(on);
            // timeupdate fires every ~250 ms: at 4x the mark may trail the playhead by up to a second
            assertTrue(t >= b[0] - 0.05 && t <= b[1] + 1.2, "at " + t + " s the marked section is " + on + " " + b[0] + "–" + b[1]);
            samples++;
            Thread.sleep(150);
        }
        assertTrue(last > first + 1, "the video played: " + first + " → " + last);
        js("document.getElementById('song-video').pause();");
    }

    @Test
    @Order(5)
    void tokenLivesInSessionStorage() {
        assertEquals(TOKEN, js("return sessionStorage.getItem('vibecraft.apiToken');"));
        browser.findElement(By.id("token-clear")).click();
        assertEquals(null, js("return sessionStorage.getItem('vibecraft.apiToken');"));
        // a retry without the token is refused and the card says so
        String clipId = browser.findElements(By.cssSelector(".clip")).get(0).getAttribute("data-clip");
        By card = By.cssSelector(".clip[data-clip='" + clipId + "']");
        browser.findElement(card).findElement(By.cssSelector("button.retry")).click();
        String message = wait.until(d -> {
            String text = d.findElement(card).findElement(By.cssSelector(".message")).getText();
            return text.startsWith("Retry refused") ? text : null;
        });
        assertTrue(message.contains("401"), message);
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Every control has an accessible name, and every piece of visible text has at least 4.5:1
     * contrast against the background it is drawn on (WCAG AA), computed from the page's styles.
     */
    private void assertAccessible() {
        @SuppressWarnings("unchecked")
        List<String> unnamed = (List<String>) js("""
                return [...document.querySelectorAll('button, input, progress, audio, video, canvas, select, textarea')]
                  .filter(e => e.offsetParent !== null || e.type === 'file')
                  .filter(e => {
                    const byLabel = e.id && document.querySelector(`label[for="${e.id}"]`);
                    return !(byLabel || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby')
                             || (e.textContent || '').trim() || e.closest('label'));
                  })
                  .map(e => e.outerHTML.slice(0, 80));""");
        assertTrue(unnamed.isEmpty(), "controls without a name: " + unnamed);
        @SuppressWarnings("unchecked")
        List<String> faint = (List<String>) js("""
                const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
                const lum = ([r, g, b]) => [r, g, b].map(v => v / 255)
                  .map(v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4))
                  .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
                const background = (e) => {
                  for (; e; e = e.parentElement) {
                    const c = rgb(getComputedStyle(e).backgroundColor);
                    if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) return c.slice(0, 3);
                  }
                  return [255, 255, 255];
                };
                const out = [];
                for (const e of document.querySelectorAll('body *')) {
                  if (e.offsetParent === null || ['VIDEO', 'CANVAS', 'AUDIO', 'PROGRESS'].includes(e.tagName)) continue;
                  const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
                  if (!own) continue;
                  const fg = lum(rgb(getComputedStyle(e).color).slice(0, 3));
                  const bg = lum(background(e));
                  const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
                  if (ratio < 4.5) out.push(e.tagName + ' "' + e.textContent.trim().slice(0, 30) + '" ' + ratio.toFixed(2));
                }
                return out;""");
        assertTrue(faint.isEmpty(), "text below 4.5:1 contrast: " + faint);
    }

    private void useToken() {
        WebElement field = browser.findElement(By.id("token"));
        field.clear();
        field.sendKeys(TOKEN);
        browser.findElement(By.cssSelector("#token-form button[type=submit]")).click();
        waitForText(By.id("token-state"), "token is set");
    }

    /** A B A of 15 s each: sections to show and play, clips enough for one to fail, three quarters of a minute to compose. */
    private Path song(String name) {
        return TestAudio.writeWav(work.resolve(name), java.util.Arrays.copyOf(TestAudio.abab(22050, name.hashCode()),
                22050 * 45), 22050);
    }

    private double[] sectionBounds(int index) {
        @SuppressWarnings("unchecked")
        List<Object> b = (List<Object>) js("return fetch('/api/v1/songs/' + document.querySelector('#songs tbody tr')"
                + ".dataset.id + '/analysis').then(r => r.json()).then(a => [a.sections[" + index + "].startSec, a.sections["
                + index + "].endSec]);");
        return new double[] {((Number) b.get(0)).doubleValue(), ((Number) b.get(1)).doubleValue()};
    }

    private String waitForText(By by, String part) {
        return wait.until(d -> {
            String text = d.findElement(by).getText();
            return text.contains(part) ? text : null;
        });
    }

    /** What the page shows and what the API says about the clips, for a wait that timed out. */
    private String pageState() {
        try {
            return "page: " + browser.findElement(By.id("clip-summary")).getText() + " | "
                    + browser.findElement(By.id("song-message")).getText() + " | api: "
                    + js("return fetch('/api/v1/songs/' + document.querySelector('#songs tbody tr').dataset.id"
                            + " + '/clips/status', {headers: {Authorization: 'Bearer ' + sessionStorage.getItem('vibecraft.apiToken')}})"
                            + ".then(r => r.text());");
        } catch (RuntimeException e) {
            return "page state unavailable: " + e;
        }
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private void screenshot(String name) throws IOException {
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    /**
     * A predictions API (the shared {@link FakePredictionsApi}, scripted) that fails its first
     * prediction and serves one real MP4 for the rest.
     */
    static final class VideoApi implements AutoCloseable {
        private final FakePredictionsApi api = new FakePredictionsApi();
        private final AtomicInteger creates = new AtomicInteger();
        private final byte[] video;

        VideoApi() throws IOException {
            Path mp4 = Files.createTempFile("web-clip", ".mp4");
            new PreviewClipRenderer().render(TestAudio.sine(22050, 3, 440, 0.5), 22050, 0, 3, 8, 24, "clip", mp4);
            video = Files.readAllBytes(mp4);
            Files.delete(mp4);
            api.script(this::answer);
        }

        String baseUrl() {
            return api.baseUrl();
        }

        private Reply answer(Request r) {
            if ("POST".equals(r.method()) && r.path().equals("/v1/predictions")) {
                // one read of the counter: two creates at once must not both see 2 and skip the failure
                int n = creates.incrementAndGet();
                String id = "p" + n + (n == 1 ? "-fail" : "-ok");
                return Reply.json(201, "{\"id\":\"" + id + "\",\"status\":\"starting\"}");
            } else if (r.path().startsWith("/v1/predictions/")) {
                String id = r.path().substring("/v1/predictions/".length());
                return Reply.ok(id.endsWith("-fail")
                        ? "{\"id\":\"" + id + "\",\"status\":\"failed\",\"error\":\"content filter tripped\"}"
                        : "{\"id\":\"" + id + "\",\"status\":\"succeeded\",\"output\":[\"" + baseUrl() + "/files/" + id + ".mp4\"]}");
            } else if (r.path().startsWith("/v1/files/")) {
                return Reply.file("video/mp4", video);
            }
            return Reply.json(404, "{}");
        }

        @Override
        public void close() {
            api.close();
        }
    }
}
