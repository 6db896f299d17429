package hark.standalone.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's headless Chromium and its chromedriver (offline), as every page test starts it. */
final class Chromium {

    private static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Chromium() {}

    /** Skips the test class where Chromium is not installed, except in CI, which must run it. */
    static void requireInstalled() {
        boolean installed = Files.isExecutable(BINARY) && Files.isExecutable(DRIVER);
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(
                    "CI must run the browser tests: install Debian's chromium and chromium-driver (.ci/run does)");
        }
        Assumptions.assumeTrue(
                installed,
                "Skipped: Debian's chromium and chromium-driver are not installed "
                        + "(apt-get install chromium chromium-driver)");
    }

    /** The flags every run needs (headless, nothing fetched from outside), then the test's own. */
    static ChromeOptions options(String... more) {
        return new ChromeOptions()
                .setBinary(BINARY.toFile())
                .addArguments(
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync")
                .addArguments(more);
    }

    static ChromeDriver start(ChromeOptions options) {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }
}
