package io.datasync.e2e;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The status page in headless Chromium (Debian's chromium and chromium-driver, driven by Selenium),
 * read as a person reads it: the visible text of its parts. Fails, never skips, without Chromium.
 */
final class StatusPageBrowser implements AutoCloseable {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;
    /** Every text read by {@link #await}, in order: what the page showed on the way. */
    private final List<String> seen = new ArrayList<>();

    StatusPageBrowser() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            throw new IllegalStateException("the status page is tested in headless Chromium: apt-get install chromium chromium-driver (.ci/run does)");
        }
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        // As root (CI) Chromium runs only without its sandbox; /dev/shm may be small in containers.
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1500,1200");
        driver = new ChromeDriver(service, options);
    }

    void open(String url) {
        driver.get(url);
    }

    /**
     * The rendered text of the first element the CSS selector finds ("" when there is none yet), read in
     * one script call: the page redraws its parts every refresh, so an element found first and read
     * after could be gone by then. (SVG elements, such as the chart's labels, have no innerText: their textContent.)
     */
    String text(String selector) {
        Object text = driver.executeScript("const found = document.querySelector(arguments[0]);"
                + " return !found ? '' : found.innerText !== undefined ? found.innerText : found.textContent;", selector);
        return text == null ? "" : text.toString().strip();
    }

    /** Reads the element every 250 ms until its text passes; fails with what it last read. */
    String await(String selector, Predicate<String> passes, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String text = "";
        while (System.nanoTime() < deadline) {
            text = text(selector);
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(text)) {
                seen.add(text);
            }
            if (passes.test(text)) {
                return text;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("after " + timeout + " the page's " + selector + " still reads: " + text);
    }

    List<String> seen() {
        return List.copyOf(seen);
    }

    void screenshot(Path file) throws Exception {
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.copy(shot.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
