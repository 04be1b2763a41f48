package dev.cnnensemble.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnensemble.dataset.RealData;
import dev.cnnensemble.dataset.RequiresMnist;
import dev.cnnensemble.support.JobApi;
import dev.cnnensemble.support.TestApiKeys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.JsonNode;

/**
 * The web UI in headless Chromium against the whole service, which really trains on a slice of real
 * MNIST: a job submitted through the form, whose chart gains a point as each epoch ends; the model's
 * confusion matrix; the models page; a 7 drawn on the playground's canvas with pointer actions. No
 * page may log a console error. Screenshots of every page go to target/ui-screenshots.
 */
@RequiresMnist
@EnabledIf(value = "chromiumInstalled", disabledReason = "needs Debian's chromium and chromium-driver (bin/setup installs them)")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = TestApiKeys.PROPERTY)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");
    private static final Path DATA_DIR = RealData.freshDataDir();
    private static final int TEST_IMAGES = 500;
    private static final int EPOCHS = 3;

    private static ChromeDriver browser;
    private static String jobId;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        RealData.register(registry, DATA_DIR);
    }

    static boolean chromiumInstalled() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    @Value("${local.server.port}")
    int port;

    @BeforeAll
    static void startBrowser() throws IOException {
        Files.createDirectories(SCREENSHOTS);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1100");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        // The driver is named, so Selenium Manager has nothing to download.
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void forgetEarlierConsoleLines() {
        browser.manage().logs().get(LogType.BROWSER);
    }

    @AfterEach
    void noPageLoggedAConsoleError(TestInfo test) {
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(errors).as("console errors during %s", test.getDisplayName()).isEmpty();
    }

    @Test
    @Order(1)
    void aJobSubmittedThroughTheFormTrainsWhileItsChartGainsAPointPerEpoch() throws IOException {
        open("/");
        WebElement key = browser.findElement(By.id("api-key"));
        key.sendKeys(TestApiKeys.ADMIN, Keys.TAB);
        browser.findElement(By.cssSelector("button[data-preset=quick]")).click();
        field("name").clear();
        field("name").sendKeys("browser-trial");
        replace("epochs", String.valueOf(EPOCHS));
        replace("trainLimit", "2000");
        replace("testLimit", String.valueOf(TEST_IMAGES));
        screenshot("jobs-form");
        browser.findElement(By.id("submit-job")).click();

        wait(Duration.ofSeconds(20)).until(ExpectedConditions.urlContains("job.html?id="));
        jobId = browser.getCurrentUrl().replaceAll(".*id=", "");
        WebElement curves = browser.findElement(By.id("curves"));
        // Each point before the last must arrive while the job still runs: the chart is live, not drawn at the end.
        for (int epoch = 1; epoch < EPOCHS; epoch++) {
            int expected = epoch;
            wait(Duration.ofMinutes(3)).until(driver -> epochsPlotted(curves) == expected);
            assertThat(JobApi.at(port).get("/jobs/" + jobId).get("state").asString()).as("state when point %d appeared", epoch).isEqualTo("RUNNING");
            if (epoch == 1) {
                screenshot("job-running");
            }
        }
        wait(Duration.ofMinutes(2)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("title"), "SUCCEEDED"));
        assertThat(epochsPlotted(curves)).isEqualTo(EPOCHS);
        assertThat(browser.findElements(By.cssSelector("#chart-test canvas"))).isNotEmpty();
        screenshot("job-succeeded");
    }

    @Test
    @Order(2)
    void theFormShowsTheApisProblemsBesideTheFields() throws IOException {
        open("/");
        replace("ensembleSize", "11");
        browser.findElement(By.id("submit-job")).click();

        WebElement message = wait(Duration.ofSeconds(10)).until(ExpectedConditions.visibilityOfElementLocated(By.id("err-ensembleSize")));
        assertThat(message.getText()).contains("10");
        assertThat(field("ensembleSize").getAttribute("aria-invalid")).isEqualTo("true");
        screenshot("jobs-invalid");
        // The browser reports the refused request itself as a console error; that one is expected.
        browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .forEach(entry -> assertThat(entry.getMessage()).contains("/jobs").contains("400"));
    }

    @Test
    @Order(3)
    void theModelPageShowsAConfusionMatrixOverEveryTestImageAndTheMisclassified() throws IOException {
        open("/model.html?id=" + jobId);
        wait(Duration.ofMinutes(1)).until(driver -> !driver.findElements(By.cssSelector("#confusion td.cell")).isEmpty());

        List<WebElement> cells = browser.findElements(By.cssSelector("#confusion td.cell"));
        assertThat(cells).hasSize(100);
        int total = cells.stream().mapToInt(cell -> Integer.parseInt(cell.getAttribute("data-count"))).sum();
        assertThat(total).isEqualTo(TEST_IMAGES);
        JsonNode evaluation = JobApi.at(port).get("/models/" + jobId + "/evaluation");
        assertThat(browser.findElements(By.cssSelector("#gallery figure.miss")))
                .hasSize(Math.min(60, evaluation.get("misclassifiedCount").asInt()));
        assertThat(browser.findElements(By.cssSelector("#per-class tbody tr"))).hasSize(10);
        wait(Duration.ofSeconds(10)).until(driver -> ((JavascriptExecutor) driver).executeScript(
                "return [...document.querySelectorAll('#gallery img')].every(i => i.complete && i.naturalWidth === 28)"));
        screenshot("model");
    }

    @Test
    @Order(4)
    void theModelsPageSetsAnotherModelAsTheDefaultAndComparesTheTwoClassByClass() throws IOException {
        JobApi admin = JobApi.at(port, TestApiKeys.ADMIN);
        String other = admin.post("/jobs", """
                {"name": "single", "epochs": 1, "trainLimit": 1000, "testLimit": %d}""".formatted(TEST_IMAGES)).get("id").asString();
        admin.awaitJob(other, Duration.ofMinutes(2), job -> job.get("state").asString().equals("SUCCEEDED"));
        open("/models.html");
        WebElement row = wait(Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#models tbody tr[data-id='" + other + "']")));
        assertThat(browser.findElements(By.cssSelector("#models tr[data-id='" + jobId + "'] .badge.default"))).as("the first model is the default").hasSize(1);

        row.findElement(By.cssSelector("button.set-default")).click();

        wait(Duration.ofSeconds(20)).until(driver -> !driver.findElements(By.cssSelector("#models tr[data-id='" + other + "'] .badge.default")).isEmpty());
        assertThat(JobApi.at(port).get("/models/default").get("id").asString()).isEqualTo(other);
        new Select(browser.findElement(By.id("compare-a"))).selectByValue(jobId);
        new Select(browser.findElement(By.id("compare-b"))).selectByValue(other);
        wait(Duration.ofSeconds(30)).until(driver -> driver.findElements(By.cssSelector("#comparison tr[data-class]")).size() == 10
                && !driver.findElements(By.cssSelector("#comparison tr.overall")).isEmpty());
        screenshot("models");
    }

    @Test
    @Order(5)
    void aSevenDrawnOnTheCanvasGetsAPredictionWithTheMembersVotesAndThePixelsTheModelSaw() throws IOException {
        open("/playground.html");
        // The 2-member model, no longer the default since the models page chose another.
        WebElement models = browser.findElement(By.id("model"));
        wait(Duration.ofSeconds(20)).until(driver -> models.findElements(By.cssSelector("option[value='" + jobId + "']")).size() == 1);
        new Select(models).selectByValue(jobId);
        WebElement pad = browser.findElement(By.id("pad"));
        // A 7: the bar from left to right, then the stem down and to the left; offsets from the pad's centre.
        new Actions(browser).moveToElement(pad, -70, -90).clickAndHold()
                .moveByOffset(50, 0).moveByOffset(50, 0).moveByOffset(40, 0)
                .moveByOffset(-20, 50).moveByOffset(-25, 60).moveByOffset(-25, 70)
                .release().perform();

        WebElement label = wait(Duration.ofSeconds(30)).until(ExpectedConditions.visibilityOfElementLocated(By.id("predicted-label")));
        wait(Duration.ofSeconds(30)).until(driver -> !label.getText().isBlank());
        assertThat(label.getText()).as("what the ensemble reads in the drawn 7").isEqualTo("7");
        assertThat(browser.findElements(By.cssSelector("#probabilities li"))).hasSize(10);
        assertThat(browser.findElements(By.cssSelector("#votes .vote"))).hasSize(2);
        assertThat(browser.findElement(By.id("agreement")).getText()).matches(".*\\d of 2 members agree.*");
        assertThat(browser.findElement(By.id("uncertainty")).getText()).as("the model's threshold is known").containsPattern("(uncertain|confident) entropy");
        Object inked = ((JavascriptExecutor) browser).executeScript("""
                const data = document.getElementById('preprocessed').getContext('2d').getImageData(0, 0, 28, 28).data;
                let lit = 0; for (let i = 0; i < data.length; i += 4) if (data[i] > 128) lit++; return lit;""");
        assertThat(((Number) inked).intValue()).as("bright pixels of the 28x28 image the model saw").isGreaterThan(20);
        screenshot("playground");
    }

    private void open(String path) {
        browser.get("http://localhost:" + port + path);
    }

    private static WebElement field(String name) {
        return browser.findElement(By.cssSelector("#new-job [name='" + name + "']"));
    }

    private static void replace(String name, String value) {
        WebElement input = field(name);
        input.clear();
        input.sendKeys(value);
    }

    private static int epochsPlotted(WebElement curves) {
        String value = curves.getAttribute("data-epochs");
        return value == null || value.isBlank() ? 0 : Integer.parseInt(value);
    }

    private static WebDriverWait wait(Duration timeout) {
        return new WebDriverWait(browser, timeout, Duration.ofMillis(100));
    }

    /** The whole page: the window grows to its height for the shot. */
    private static void screenshot(String name) throws IOException {
        Dimension window = browser.manage().window().getSize();
        long height = (Long) browser.executeScript("return document.documentElement.scrollHeight");
        browser.manage().window().setSize(new Dimension(window.getWidth(), (int) Math.max(height + 120, window.getHeight())));
        Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
        browser.manage().window().setSize(window);
    }
}
