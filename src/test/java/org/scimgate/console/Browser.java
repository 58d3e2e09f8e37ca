package org.scimgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium from Debian ({@code chromium}, {@code chromium-driver}), driven through
 * its own chromedriver: Selenium Manager cannot download a browser here, and the build must not
 * pass without one, so a missing binary fails the test with what to install.
 */
final class Browser {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private Browser() {
    }

    static ChromeDriver start() {
        for (Path binary : List.of(CHROMIUM, CHROMEDRIVER)) {
            assertThat(Files.isExecutable(binary))
                    .as("%s is missing: the console's browser tests need Debian's Chromium. Install it with "
                            + "'apt-get install -y chromium chromium-driver' (.ci/run does).", binary)
                    .isTrue();
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                "--disable-background-networking", "--disable-component-update", "--no-first-run");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.SEVERE);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** Script errors, refused resources and CSP violations the page logged since the last call. */
    static List<String> severeConsoleEntries(ChromeDriver driver) {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
    }

    /** Every resource the current page fetched, by URL. */
    @SuppressWarnings("unchecked")
    static List<String> resourcesFetched(ChromeDriver driver) {
        List<Object> names = (List<Object>) driver.executeScript(
                "return performance.getEntriesByType('resource').map(function (e) { return e.name; })"
                        + ".concat([location.href]);");
        return names.stream().map(String::valueOf).toList();
    }

    private static final String AXE = "META-INF/resources/webjars/axe-core/" + axeVersion() + "/axe.min.js";

    /**
     * The serious and critical accessibility violations axe-core finds on the current page (WCAG 2.1
     * A and AA rules and best practices), one line each: rule, impact and the elements. The checker
     * is put into the page by the driver, not fetched by it, so the page's CSP is not in the way.
     */
    @SuppressWarnings("unchecked")
    static List<String> accessibilityViolations(ChromeDriver driver) {
        String axe;
        try (var in = Browser.class.getClassLoader().getResourceAsStream(AXE)) {
            assertThat(in).as("axe-core on the test classpath (%s)", AXE).isNotNull();
            axe = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        driver.executeScript(axe);
        driver.manage().timeouts().scriptTimeout(java.time.Duration.ofSeconds(30));
        List<Object> found = (List<Object>) driver.executeAsyncScript("""
                var done = arguments[arguments.length - 1];
                axe.run(document, {resultTypes: ['violations']}).then(function (r) {
                  done(r.violations.filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; })
                    .map(function (v) {
                      return v.id + ' (' + v.impact + '): ' + v.help + ' at '
                        + v.nodes.map(function (n) { return n.target.join(' '); }).join(', ');
                    }));
                }).catch(function (e) { done(['axe failed: ' + e]); });""");
        return found.stream().map(String::valueOf).toList();
    }

    private static String axeVersion() {
        try (var in = Browser.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars.npm/axe-core/pom.properties")) {
            java.util.Properties properties = new java.util.Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("org.webjars.npm:axe-core is missing from the test classpath", e);
        }
    }

    /** Screenshots the page at desktop and phone width, and checks it with axe-core at both. */
    static void checkPage(ChromeDriver driver, String name) {
        assertThat(accessibilityViolations(driver)).as("serious or critical accessibility problems on " + name).isEmpty();
        screenshot(driver, name);
        driver.manage().window().setSize(new Dimension(390, 844));
        try {
            assertThat(sidewaysScroll(driver)).as(name + " scrolls sideways at phone width").isLessThanOrEqualTo(0);
            assertThat(accessibilityViolations(driver)).as("accessibility problems at phone width on " + name).isEmpty();
            screenshot(driver, name + "-phone");
        } finally {
            driver.manage().window().setSize(new Dimension(1280, 900));
        }
    }

    /**
     * How far the page scrolls sideways once it has settled at the new width: a chart follows a
     * resize a frame or two later (Chart.js watches its box), so a first measurement can still see
     * the desktop-sized canvas.
     */
    private static int sidewaysScroll(ChromeDriver driver) {
        String script = "return document.documentElement.scrollWidth - document.documentElement.clientWidth;";
        try {
            new WebDriverWait(driver, Duration.ofSeconds(5))
                    .until(d -> ((Number) driver.executeScript(script)).intValue() <= 0);
        } catch (org.openqa.selenium.TimeoutException e) {
            // It does scroll: the assertion says by how much.
        }
        return ((Number) driver.executeScript(script)).intValue();
    }

    /** Signs in at {@code base} with an API key and waits for the redirect that follows the form. */
    static void signIn(ChromeDriver driver, String base, String key) {
        driver.get(base + "/");
        driver.findElement(By.id("key")).sendKeys(key);
        driver.findElement(By.id("sign-in")).click();
        // A click does not wait for the redirect that follows the form; the next get() must not race it.
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(b -> !b.getCurrentUrl().equals(base + "/"));
    }

    /** Clicks the element with that id and waits for the next page: a click does not wait for the navigation. */
    static void submit(ChromeDriver driver, String id) {
        WebElement page = driver.findElement(By.tagName("html"));
        driver.findElement(By.id(id)).click();
        awaitNextPage(driver, page);
    }

    /**
     * Waits until {@code page} (the old document's root) is gone. While the old document is torn
     * down Chromium may answer the probe with an inspector error ("Node with given id does not
     * belong to the document") instead of a stale element: that means not yet, ask again.
     */
    static void awaitNextPage(ChromeDriver driver, WebElement page) {
        new WebDriverWait(driver, Duration.ofSeconds(10)).ignoring(WebDriverException.class)
                .until(ExpectedConditions.stalenessOf(page));
    }

    static void screenshot(ChromeDriver driver, String name) {
        try {
            Path target = Path.of("target", "console-screenshots", name + ".png");
            Files.createDirectories(target.getParent());
            Files.move(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
