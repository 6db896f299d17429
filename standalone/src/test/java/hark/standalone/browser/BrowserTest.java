package hark.standalone.browser;

import static org.assertj.core.api.Assertions.assertThat;

import hark.standalone.Hark;
import hark.standalone.LocalInfrastructure;
import hark.testing.SpeechClip;
import hark.testing.TestAudio;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The page as a person uses it, in a real headless Chromium (Debian's, driven by its
 * chromedriver, offline): sign up, upload real speech, watch progress move, read the transcript;
 * a refused upload shows its reason; a reload in the middle of a job keeps following it; a job
 * cancelled from the page says so and offers a retry; a completed note plays with its transcript
 * following along; the list shows notes by name, finds them by their words, and renames them.
 * Screenshots of each state land in {@code standalone/target/screenshots/}; the README's (player,
 * search) also in {@code docs/screenshots/}.
 */
class BrowserTest {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** The README's pictures; the test runs in {@code standalone/}. */
    private static final Path README_SCREENSHOTS = Path.of("..", "docs", "screenshots");

    @TempDir
    static Path data;

    static LocalInfrastructure infrastructure;
    static ConfigurableApplicationContext hark;
    static String base;

    WebDriver browser;
    WebDriverWait wait;
    String name;

    @BeforeAll
    static void start() throws IOException {
        Chromium.requireInstalled();
        Files.createDirectories(SCREENSHOTS);
        infrastructure = LocalInfrastructure.start(data, Map.of());
        // Chunks of at most 6 s, so a two-sentence recording shows progress between its chunks.
        hark = Hark.run(
                data,
                infrastructure.settings(),
                "--server.port=0",
                "--hark.prep.chunk-seconds=6",
                "--hark.prep.min-chunk-seconds=6");
        base = "http://localhost:" + hark.getEnvironment().getProperty("local.server.port");
    }

    @AfterAll
    static void stop() {
        if (hark != null) {
            hark.close();
            infrastructure.close();
        }
    }

    @BeforeEach
    void openBrowser(TestInfo test) {
        ChromeOptions options = Chromium.options(
                // The player is started by clicks and keys (gestures) anyway; no policy surprises.
                "--autoplay-policy=no-user-gesture-required", "--window-size=1100,1400");
        browser = Chromium.start(options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        name = test.getTestMethod().map(m -> m.getName()).orElse("test");
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aNewcomerSignsUpUploadsRealSpeechWatchesItWorkAndReadsTheTranscript() {
        Path recording = twoSentences();
        signUp("newcomer");

        upload(recording);

        List<Integer> seen = new ArrayList<>();
        wait.withTimeout(Duration.ofMinutes(4)).until(driver -> {
            seen.add(percent());
            return visible("transcript-section");
        });
        screenshot("3-complete");
        String transcript = text("transcript");
        assertThat(transcript).contains(SpeechClip.PRIMARY.keyWords()).contains(SpeechClip.SECOND.keyWords());
        assertThat(text("status-text")).contains("Complete!");
        assertThat(percent()).isEqualTo(100);
        // Progress moved, and never backwards.
        assertThat(seen).isSorted();
        assertThat(seen.stream().distinct().count()).isGreaterThan(1);
        assertThat(browser.findElement(By.id("download-txt")).getAttribute("href"))
                .contains("/transcript");
        // The list catches up with the followed note on its own schedule.
        wait.until(driver -> historyStatuses().contains("completed"));
    }

    @Test
    void aFileThatIsNotAudioIsRefusedWithItsReason() throws IOException {
        Path notAudio = Files.writeString(data.resolve("notes.mp3"), "just some text, not a recording\n");
        signUp("mistaken");

        browser.findElement(By.id("audio-file")).sendKeys(notAudio.toString());
        browser.findElement(By.id("upload-button")).click();

        wait.until(driver -> visible("error") && !text("error").isBlank());
        screenshot("refused");
        assertThat(text("error")).contains("not audio");
    }

    @Test
    void aReloadInTheMiddleOfAJobKeepsFollowingIt() {
        Path recording = twoSentences();
        signUp("reloader");
        upload(recording);
        wait.until(driver -> visible("status-section"));

        browser.navigate().refresh();

        wait.until(driver -> visible("status-section"));
        screenshot("after-reload");
        wait.withTimeout(Duration.ofMinutes(4)).until(driver -> visible("transcript-section"));
        assertThat(text("transcript")).contains(SpeechClip.PRIMARY.keyWords());
        assertThat(browser.getCurrentUrl()).contains("#node=");
    }

    @Test
    void aJobCancelledFromThePageSaysSoAndOffersARetry() {
        Path recording = twoSentences();
        signUp("canceller");
        upload(recording);
        wait.until(driver -> visible("cancel-button"));

        browser.findElement(By.id("cancel-button")).click();

        wait.withTimeout(Duration.ofSeconds(60))
                .until(driver -> text("status-text").contains("cancelled"));
        screenshot("cancelled");
        assertThat(visible("retry-button")).isTrue();
        assertThat(visible("cancel-button")).isFalse();
        assertThat(visible("transcript-section")).isFalse();
        wait.until(driver -> historyStatuses().contains("cancelled"));
    }

    @Test
    void aNoteAndThenTheWholeAccountAreDeletedFromThePageEachAfterAConfirmation() {
        signUp("deleter");
        upload(twoSentences());
        wait.until(driver -> historyStatuses().size() == 1);

        browser.findElement(By.id("delete-button")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();

        wait.until(driver -> !visible("status-section") && historyStatuses().isEmpty());
        assertThat(text("error")).contains("deleted");
        screenshot("note-deleted");

        browser.findElement(By.id("erase-account-button")).click();
        browser.findElement(By.id("erase-password")).sendKeys("a long enough secret");
        browser.findElement(By.cssSelector("#erase-account-form button[type=submit]"))
                .click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();

        wait.until(driver -> visible("sign-in-form"));
        screenshot("account-deleted");
        // The account is gone: its password opens nothing.
        for (String[] field : new String[][] {{"username", "deleter"}, {"password", "a long enough secret"}}) {
            WebElement input = browser.findElement(By.id(field[0]));
            input.clear();
            input.sendKeys(field[1]);
        }
        browser.findElement(By.id("sign-in-button")).click();
        wait.until(driver -> text("error").contains("Wrong user name or password"));
    }

    @Test
    void aCompletedNotePlaysWhileItsTranscriptFollowsAndASegmentSeeksThePlayer() throws IOException {
        signUp("listener");
        upload(threeSentences("Card game"));
        // Three clips in three chunks: at least one timed segment each.
        wait.withTimeout(Duration.ofMinutes(4))
                .until(driver -> visible("transcript-section") && segments().size() >= 3);
        wait.until(driver -> visible("player") && number("return document.getElementById('player').readyState") >= 1);

        // Play from the player itself, as a keyboard user would: focus it, press Space.
        WebElement player = browser.findElement(By.id("player"));
        script("arguments[0].focus();", player);
        new Actions(browser).sendKeys(Keys.SPACE).perform();
        wait.until(driver -> currentTime() > 0.4);
        double heard = currentTime();
        wait.until(driver -> currentTime() > heard + 0.3);
        new Actions(browser).sendKeys(Keys.SPACE).perform();
        wait.until(driver -> Boolean.TRUE.equals(script("return document.getElementById('player').paused;")));
        double before = currentTime();

        // The third segment plays from its start, and is the one marked as heard.
        WebElement third = browser.findElements(By.cssSelector("#transcript button.segment"))
                .get(2);
        double start = Double.parseDouble(third.getAttribute("data-start"));
        assertThat(start)
                .as("the third segment starts after where the player was paused")
                .isGreaterThan(before + 0.3);
        // What the player and the transcript did, noted by the page as it happens (a poll could miss
        // the moment on a slow machine: the segment after it begins two seconds later).
        script("window.seen = {seeks: [], marked: []};"
                + "const player = document.getElementById('player');"
                + "player.addEventListener('seeked', () => seen.seeks.push(player.currentTime));"
                + "new MutationObserver(() => seen.marked.push(Array.from("
                + "document.querySelectorAll('#transcript button.segment'))"
                + ".findIndex(b => b.getAttribute('aria-current') === 'true')))"
                + ".observe(document.getElementById('transcript'),"
                + " {subtree: true, attributes: true, attributeFilter: ['aria-current']});");
        third.click();
        wait.until(driver -> Boolean.TRUE.equals(script(
                "return seen.seeks.some(t => t >= arguments[0] - 0.05 && t < arguments[0] + 0.5)"
                        + " && seen.marked.includes(2);",
                start)));
        wait.until(driver -> currentTime() > start + 0.2); // and it goes on playing from there
        screenshot("player", "player");

        // From the keyboard (focus is on the segment just chosen): the left arrow goes back 5 s.
        double playing = currentTime();
        new Actions(browser).sendKeys(Keys.ARROW_LEFT).perform();
        wait.until(driver -> Boolean.TRUE.equals(
                script("return seen.seeks.some(t => t > arguments[0] - 5.6 && t < arguments[0] - 4);", playing)));

        // The words are there beside their times, and so are the downloads.
        assertThat(text("transcript")).contains(SpeechClip.PRIMARY.keyWords());
        assertThat(browser.findElement(By.id("download-txt")).getAttribute("href"))
                .contains("/transcript");
    }

    @Test
    void theListNamesNotesFindsThemByTheirWordsAndRenamesThem() throws IOException {
        signUp("finder");
        upload(twoSentences("Weekly sync"));
        wait.withTimeout(Duration.ofMinutes(4))
                .until(driver -> historyItems().stream()
                        .anyMatch(item -> "completed".equals(item.get("status"))
                                && !item.get("words").isBlank()));
        Map<String, String> item = historyItems().get(0);
        assertThat(item.get("title")).isEqualTo("Weekly sync");
        assertThat(item.get("words")).contains("spades");
        assertThat(item.get("meta")).matches("0:(09|10|11) .*"); // two 5 s slots: 10 s
        wait.until(driver -> text("status-heading").equals("Weekly sync"));

        // Found by a word of its transcript, with the word marked ...
        search("clubs");
        wait.until(driver -> text("history-note").contains("matches")
                && historyItems().size() == 1
                && historyItems().get(0).get("marks").equalsIgnoreCase("clubs"));
        screenshot("search", "search");
        // ... and not by a word that is not in it.
        search("zebra");
        wait.until(driver -> text("history-note").contains("No notes match")
                && historyItems().isEmpty());
        // Clearing the box brings the whole list back.
        search("");
        wait.until(driver -> historyItems().size() == 1 && text("history-note").isBlank());

        // Renamed from the page: the heading and the list say the new name.
        browser.findElement(By.id("rename-button")).click();
        WebElement input = browser.findElement(By.id("rename-input"));
        assertThat(input.getAttribute("value")).isEqualTo("Weekly sync");
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), "Budget review", Keys.ENTER);
        wait.until(driver -> text("status-heading").equals("Budget review")
                && historyItems().get(0).get("title").equals("Budget review"));
        // A reload asks the server: the name was kept.
        browser.navigate().refresh();
        wait.until(driver ->
                !historyItems().isEmpty() && historyItems().get(0).get("title").equals("Budget review"));
        screenshot("renamed");
    }

    @Test
    void theApiReferencePageShowsTheOperationsOfTheLiveDocument() {
        browser.get(base + "/api.html");

        wait.until(
                driver -> !driver.findElements(By.cssSelector("#reference h3")).isEmpty());
        String reference = text("reference");
        assertThat(reference)
                .contains("POST /api/nodes")
                .contains("PATCH /api/nodes/{id}")
                .contains("GET /api/nodes/{id}/transcript");
        assertThat(reference).doesNotContain("could not be loaded");
    }

    private void signUp(String user) {
        browser.get(base + "/");
        wait.until(driver -> visible("sign-in-form"));
        assertThat(visible("upload-form"))
                .as("a signed-out visitor sees only the sign-in form")
                .isFalse();
        screenshot("0-sign-in");
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys("a long enough secret");
        browser.findElement(By.id("register-button")).click();
        wait.until(driver -> visible("upload-form"));
        assertThat(text("signed-in-as")).contains(user);
        screenshot("1-signed-in");
    }

    private void upload(Path recording) {
        browser.findElement(By.id("audio-file"))
                .sendKeys(recording.toAbsolutePath().toString());
        browser.findElement(By.id("upload-button")).click();
        wait.until(driver -> visible("status-section"));
        screenshot("2-working");
    }

    private Path twoSentences() {
        Path first = TestAudio.speech(SpeechClip.PRIMARY.file(), data);
        Path second = TestAudio.speech(SpeechClip.SECOND.file(), data);
        return TestAudio.joinWithPauses(
                data.resolve("two-sentences-" + System.nanoTime() + ".wav"), 5.0, first, second);
    }

    /** The two sentences in a file of that name (its own folder, so names never clash). */
    private Path twoSentences(String fileName) throws IOException {
        Path dir = Files.createTempDirectory(data, "named");
        return Files.move(twoSentences(), dir.resolve(fileName + ".wav"));
    }

    /**
     * Three sentences, each alone in a 6 s slot, so each of the test's 6 s chunks holds one and the
     * engine gives at least one timed segment per chunk.
     */
    private Path threeSentences(String fileName) throws IOException {
        Path first = TestAudio.speech(SpeechClip.PRIMARY.file(), data);
        Path second = TestAudio.speech(SpeechClip.SECOND.file(), data);
        Path dir = Files.createTempDirectory(data, "named");
        return TestAudio.joinWithPauses(dir.resolve(fileName + ".wav"), 6.0, first, second, first);
    }

    private Object script(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private double number(String script) {
        Object value = script(script);
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private double currentTime() {
        return number("return document.getElementById('player').currentTime;");
    }

    /** The transcript's segments' start times, read in one script. */
    private List<Double> segments() {
        Object starts = script("return Array.from(document.querySelectorAll('#transcript button.segment'),"
                + " b => Number(b.dataset.start));");
        return ((List<?>) starts).stream().map(v -> ((Number) v).doubleValue()).toList();
    }

    private void search(String words) {
        WebElement box = browser.findElement(By.id("history-search"));
        box.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        if (!words.isEmpty()) {
            box.sendKeys(words);
        }
    }

    /** The list as a person reads it, in one script (it is rebuilt on every change). */
    private List<Map<String, String>> historyItems() {
        Object items = script("return Array.from(document.querySelectorAll('#history li'), li => ({"
                + " status: li.dataset.status || '',"
                + " title: li.querySelector('.item-title')?.textContent || '',"
                + " meta: li.querySelector('.item-meta')?.textContent || '',"
                + " words: li.querySelector('.item-words')?.textContent || '',"
                + " marks: Array.from(li.querySelectorAll('mark'), m => m.textContent).join(' ')}));");
        return ((List<?>) items)
                .stream()
                        .map(v -> {
                            Map<String, String> item = new java.util.HashMap<>();
                            ((Map<?, ?>) v).forEach((k, x) -> item.put(String.valueOf(k), String.valueOf(x)));
                            return item;
                        })
                        .toList();
    }

    private boolean visible(String id) {
        List<WebElement> found = browser.findElements(By.id(id));
        return !found.isEmpty() && found.get(0).isDisplayed();
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private int percent() {
        String value = browser.findElement(By.id("progress-bar")).getAttribute("value");
        return value == null || value.isBlank() ? 0 : (int) Double.parseDouble(value);
    }

    /**
     * Read in one script: the page rebuilds the list on every change, so items found by one call
     * can be gone by the next (CI saw a StaleElementReferenceException here).
     */
    private List<String> historyStatuses() {
        Object statuses = ((JavascriptExecutor) browser)
                .executeScript(
                        "return Array.from(document.querySelectorAll('#history [data-status]'), li => li.dataset.status);");
        return ((List<?>) statuses).stream().map(String::valueOf).toList();
    }

    private void screenshot(String state) {
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        try {
            Files.copy(shot, SCREENSHOTS.resolve(name + "-" + state + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException("Could not keep the screenshot", e);
        }
    }

    /** A screenshot the README shows, as {@code docs/screenshots/<readmeName>.png} too. */
    private void screenshot(String state, String readmeName) throws IOException {
        screenshot(state);
        Files.createDirectories(README_SCREENSHOTS);
        Files.copy(
                SCREENSHOTS.resolve(name + "-" + state + ".png"),
                README_SCREENSHOTS.resolve(readmeName + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
    }
}
