package hark.standalone.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import hark.standalone.Hark;
import hark.standalone.LocalInfrastructure;
import hark.testing.SpeechClip;
import hark.testing.TestAudio;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The page on a phone, in headless Chromium's mobile emulation (390 × 844, touch) with a fake
 * microphone that "hears" real speech: a recording whose upload does not go through (the request
 * blocked, as on a lost connection) is kept in the browser, listed under "Not uploaded yet" across a
 * reload and for its own user only, and uploads on Retry; several files chosen at once upload one
 * after another. Each state is checked with axe-core (no serious or critical violation), for
 * horizontal scrolling and for tap targets. The phone screenshot for the README lands in
 * {@code docs/screenshots/phone.png}, the others in {@code standalone/target/screenshots/}.
 */
class PhoneAndOfflineBrowserTest {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Path README_SCREENSHOTS = Path.of("..", "docs", "screenshots");
    private static final int PHONE_WIDTH = 390;
    private static final String PASSWORD = "a long enough secret";
    /**
     * The upload (POST /api/nodes). Chromium matches the pattern anywhere in a URL, so the list and
     * the status calls under /api/nodes are blocked too; the page and the account calls are not.
     */
    private static final String UPLOAD_URL = "*/api/nodes";

    @TempDir
    static Path data;

    static LocalInfrastructure infrastructure;
    static ConfigurableApplicationContext hark;
    static String base;
    static Path microphone;

    ChromeDriver browser;
    WebDriverWait wait;
    String name;

    @BeforeAll
    static void start() throws IOException {
        Chromium.requireInstalled();
        Files.createDirectories(SCREENSHOTS);
        Files.createDirectories(README_SCREENSHOTS);
        microphone = TestAudio.speech(SpeechClip.PRIMARY.file(), data);
        infrastructure = LocalInfrastructure.start(data, Map.of());
        hark = Hark.run(data, infrastructure.settings(), "--server.port=0");
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
    void openPhone(TestInfo test) {
        ChromeOptions options = Chromium.options(
                // A microphone that says yes at once and "hears" a spoken sentence, over and over.
                "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream",
                "--use-file-for-fake-audio-capture=" + microphone.toAbsolutePath());
        options.setExperimentalOption(
                "mobileEmulation",
                Map.of(
                        "deviceMetrics",
                        Map.of("width", PHONE_WIDTH, "height", 844, "pixelRatio", 2.0, "touch", true),
                        "userAgent",
                        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                                + "Chrome/156.0.0.0 Mobile Safari/537.36"));
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
    void aRecordingWhoseUploadFailsIsKeptThroughAReloadForItsOwnerAndUploadsOnRetry() throws IOException {
        signUp("phone");
        wait.until(driver -> text("history-note").contains("No voice notes yet"));
        blockUploads(true);

        record();

        wait.until(driver -> pending().size() == 1);
        String title = pending().get(0);
        assertThat(title).matches("Recording .+, 0:0[2-9]");
        assertThat(visible("error")).isTrue();
        assertThat(browser.findElement(By.cssSelector("#pending-list [data-action=retry]"))
                        .isDisplayed())
                .isTrue();
        assertThat(browser.findElement(By.cssSelector("#pending-list [data-action=save]"))
                        .getAttribute("href"))
                .startsWith("blob:");
        fitsThePhone("not uploaded");
        accessible("not uploaded yet, with Retry");

        // A second one, discarded after a confirmation; the first stays.
        record();
        wait.until(driver -> pending().size() == 2);
        browser.findElement(By.cssSelector("#pending-list li:last-child [data-action=discard]"))
                .click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(driver -> pending().size() == 1);
        assertThat(pending()).containsExactly(title);
        screenshot("not-uploaded");
        script("document.getElementById('upload-form').scrollIntoView();");
        readmeScreenshot("phone.png");

        browser.navigate().refresh();
        wait.until(driver -> visible("upload-form") && pending().size() == 1);
        assertThat(pending()).containsExactly(title);
        assertThat(text("pending-list")).contains("connection");

        // Another person on the same browser does not see it; its owner does again.
        signOut();
        register("stranger");
        wait.until(driver -> keptLoaded());
        assertThat(visible("pending-block")).isFalse();
        signOut();
        signIn("phone");
        wait.until(driver -> keptLoaded() && pending().size() == 1);

        blockUploads(false);
        browser.findElement(By.cssSelector("#pending-list [data-action=retry]")).click();

        wait.until(driver -> visible("status-section") && !visible("pending-block"));
        assertThat(browser.getCurrentUrl()).contains("#node=");
        wait.until(driver -> historyStatuses().size() == 1);
        fitsThePhone("following");
        accessible("a note being followed");
        screenshot("uploaded-on-retry");

        // Accepted: nothing is kept any more, even after a reload.
        browser.navigate().refresh();
        wait.until(driver -> keptLoaded());
        assertThat(pending()).isEmpty();
        assertThat(keptInBrowser()).isZero();

        // Deleting the account from the page deletes what this browser kept for it.
        blockUploads(true);
        record();
        wait.until(driver -> pending().size() == 1);
        blockUploads(false);
        assertThat(keptInBrowser()).isEqualTo(1);
        browser.findElement(By.id("erase-account-button")).click();
        browser.findElement(By.id("erase-password")).sendKeys(PASSWORD);
        browser.findElement(By.cssSelector("#erase-account-form button[type=submit]"))
                .click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(driver -> visible("sign-in-form"));
        assertThat(keptInBrowser()).isZero();
    }

    @Test
    void filesChosenTogetherUploadOneAfterAnotherAndTheNewestIsFollowedToItsTranscript() throws IOException {
        browser.get(base + "/");
        wait.until(driver -> visible("sign-in-form"));
        fitsThePhone("signed out");
        accessible("signed out");
        register("files");
        fitsThePhone("signed in");
        accessible("signed in, nothing uploaded yet");
        screenshot("signed-in");

        Path first = TestAudio.speech(SpeechClip.PRIMARY.file(), data);
        Path notAudio = Files.writeString(data.resolve("notes.mp3"), "just some text, not a recording\n");
        Path second = TestAudio.speech(SpeechClip.SECOND.file(), data);
        // Every state the queue passes through, as it was drawn.
        script("window.queueStates = [];"
                + "new MutationObserver(() => window.queueStates.push(Array.from("
                + "document.querySelectorAll('#upload-queue li'), li => li.dataset.state).join(',')))"
                + ".observe(document.getElementById('upload-queue'),"
                + " {childList: true, subtree: true, attributes: true});");
        browser.findElement(By.id("audio-file"))
                .sendKeys(first.toAbsolutePath() + "\n" + notAudio.toAbsolutePath() + "\n" + second.toAbsolutePath());
        assertThat(text("drop-zone-file")).contains("3 files");
        browser.findElement(By.id("upload-button")).click();

        wait.until(driver -> historyStatuses().size() == 2 && !visible("queue-block"));
        List<String> states = ((List<?>) script("return window.queueStates;"))
                .stream().map(String::valueOf).toList();
        assertThat(states).contains("uploading,waiting,waiting");
        assertThat(states).noneMatch(s -> s.matches(".*uploading.*uploading.*"));
        // The one Hark refused stays, with its reason; sending it again would not help, so no Retry.
        assertThat(pending()).containsExactly("notes.mp3");
        assertThat(text("pending-list")).contains("not audio");
        assertThat(browser.findElements(By.cssSelector("#pending-list [data-action=retry]")))
                .isEmpty();
        wait.until(driver -> visible("status-section"));
        // The newest is followed: the first item of the list (newest first) is the one in the address.
        wait.until(driver -> browser.getCurrentUrl()
                .endsWith("#node=" + script("return document.querySelector('#history li').dataset.nodeId;")));
        fitsThePhone("uploaded");
        accessible("signed in with the list, a refused file, a note being followed");
        screenshot("uploaded");

        // A chosen file is still on the device: discarding it asks nothing.
        browser.findElement(By.cssSelector("#pending-list [data-action=discard]"))
                .click();
        wait.until(driver -> !visible("pending-block"));

        wait.withTimeout(Duration.ofMinutes(4)).until(driver -> visible("transcript-section"));
        fitsThePhone("transcript");
        accessible("a completed note with its transcript");
        screenshot("transcript");

        // The same page in dark colours, and on a desktop-wide window with its two columns.
        browser.executeCdpCommand(
                "Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        accessible("a completed note, dark colours");
        screenshot("transcript-dark");
        browser.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", 1100, "height", 1000, "deviceScaleFactor", 1, "mobile", false));
        wait.until(driver -> ((Number) script("return window.innerWidth;")).intValue() == 1100);
        accessible("a completed note, dark colours, desktop width");
        screenshot("transcript-dark-desktop");
    }

    // --- the page ---

    /** Records about two seconds from the fake microphone, then stops (which starts the upload). */
    private void record() {
        browser.findElement(By.id("record-button")).click();
        wait.until(driver -> visible("stop-button") && text("record-timer").compareTo("00:02") >= 0);
        screenshot("recording");
        fitsThePhone("recording");
        browser.findElement(By.id("stop-button")).click();
        wait.until(driver -> visible("record-button"));
    }

    private void signUp(String user) {
        browser.get(base + "/");
        wait.until(driver -> visible("sign-in-form"));
        register(user);
    }

    private void register(String user) {
        wait.until(driver -> visible("sign-in-form"));
        typeCredentials(user);
        browser.findElement(By.id("register-button")).click();
        wait.until(driver -> visible("upload-form") && text("signed-in-as").contains(user));
    }

    private void signIn(String user) {
        wait.until(driver -> visible("sign-in-form"));
        typeCredentials(user);
        browser.findElement(By.id("sign-in-button")).click();
        wait.until(driver -> visible("upload-form") && text("signed-in-as").contains(user));
    }

    private void typeCredentials(String user) {
        for (String[] field : new String[][] {{"username", user}, {"password", PASSWORD}}) {
            WebElement input = browser.findElement(By.id(field[0]));
            input.clear();
            input.sendKeys(field[1]);
        }
    }

    private void signOut() {
        browser.findElement(By.id("sign-out-button")).click();
        wait.until(driver -> visible("sign-in-form"));
    }

    /** Blocks the upload request in the browser, as a lost connection would stop it. */
    private void blockUploads(boolean blocked) {
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", blocked ? List.of(UPLOAD_URL) : List.of()));
    }

    /** How many recordings this browser keeps, whoever they belong to (read from IndexedDB). */
    private int keptInBrowser() {
        Object count = browser.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "const open = indexedDB.open('hark');"
                + "open.onsuccess = () => { const db = open.result;"
                + " const count = db.transaction('recordings').objectStore('recordings').count();"
                + " count.onsuccess = () => { db.close(); done(count.result); }; };"
                + "open.onerror = () => done(-1);");
        return ((Number) count).intValue();
    }

    private boolean keptLoaded() {
        return Boolean.TRUE.equals(
                script("return document.getElementById('pending-block').dataset.loaded === 'true';"));
    }

    /** The titles under "Not uploaded yet", read in one script: the list is redrawn on every change. */
    private List<String> pending() {
        Object titles = script("return Array.from(document.querySelectorAll("
                + "'#pending-list li[data-state=failed] .queue-title'), t => t.textContent);");
        return ((List<?>) titles).stream().map(String::valueOf).toList();
    }

    private List<String> historyStatuses() {
        Object statuses = script(
                "return Array.from(document.querySelectorAll('#history [data-status]'), li => li.dataset.status);");
        return ((List<?>) statuses).stream().map(String::valueOf).toList();
    }

    private boolean visible(String id) {
        List<WebElement> found = browser.findElements(By.id(id));
        return !found.isEmpty() && found.get(0).isDisplayed();
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private Object script(String js) {
        return ((JavascriptExecutor) browser).executeScript(js);
    }

    // --- checks ---

    /** No sideways scrolling at 390 px, and every control shown is a finger's size (44 × 44 px). */
    private void fitsThePhone(String state) {
        assertThat(((Number) script("return window.innerWidth;")).intValue()).isEqualTo(PHONE_WIDTH);
        assertThat(((Number) script("return document.documentElement.scrollWidth;")).intValue())
                .as("page width when %s", state)
                .isLessThanOrEqualTo(PHONE_WIDTH);
        Object small = script("return Array.from(document.querySelectorAll("
                + "'button, a[href], input:not([type=hidden]), select, textarea, [role=button]'))"
                + ".filter(el => !el.closest('[hidden]') && !el.classList.contains('visually-hidden'))"
                + ".map(el => [el, el.getBoundingClientRect()])"
                + ".filter(([el, r]) => r.width > 0 && (r.width < 44 || r.height < 44))"
                + ".map(([el, r]) => (el.id || el.textContent.trim().slice(0, 40)) + ' '"
                + " + Math.round(r.width) + 'x' + Math.round(r.height));");
        assertThat((List<?>) small).as("tap targets under 44 px when %s", state).isEmpty();
    }

    /** axe-core on the page as it is: no serious or critical violation, each one said readably. */
    private void accessible(String state) {
        Results results = new AxeBuilder().analyze(browser);
        assertThat(results.getPasses()).as("axe ran its rules (%s)", state).isNotEmpty();
        List<Rule> all = results.getViolations();
        System.out.printf(
                "axe (%s): %d rules passed, %d violated%n",
                state, results.getPasses().size(), all.size());
        // The lesser ones are said, not failed on.
        all.forEach(rule -> System.out.printf(
                "axe (%s): %s %s: %s, %d element(s)%n",
                state,
                rule.getImpact(),
                rule.getId(),
                rule.getHelp(),
                rule.getNodes().size()));
        List<Rule> violations = all.stream()
                .filter(rule -> "serious".equals(rule.getImpact()) || "critical".equals(rule.getImpact()))
                .toList();
        String report = violations.stream()
                .map(rule -> rule.getImpact() + " " + rule.getId() + ": " + rule.getHelp() + " (" + rule.getHelpUrl()
                        + ")\n"
                        + rule.getNodes().stream()
                                .map(node -> "    " + node.getTarget() + " " + node.getHtml() + "\n      "
                                        + String.valueOf(node.getFailureSummary())
                                                .replace("\n", "\n      "))
                                .collect(Collectors.joining("\n")))
                .collect(Collectors.joining("\n"));
        assertThat(violations).as("axe, %s:%n%s", state, report).isEmpty();
    }

    private void screenshot(String state) {
        copyScreenshot(SCREENSHOTS.resolve("phone-" + name + "-" + state + ".png"));
    }

    private void readmeScreenshot(String file) {
        copyScreenshot(README_SCREENSHOTS.resolve(file));
    }

    private void copyScreenshot(Path to) {
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        try {
            Files.copy(shot, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException("Could not keep the screenshot", e);
        }
    }
}
