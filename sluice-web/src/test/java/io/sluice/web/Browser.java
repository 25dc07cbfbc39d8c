package io.sluice.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's chromium and chromium-driver) on one web server, with the
 * steps every browser test takes: log in, open a page, wait for an element, confirm a dialog, read
 * the banner, save a screenshot to {@code target/screenshots}.
 */
final class Browser implements AutoCloseable {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  static final String NO_CHROMIUM =
      "browser tests need Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver; .ci/install does it)";

  final WebDriver driver;
  final String base;

  private Browser(WebDriver driver, String base) {
    this.driver = driver;
    this.base = base;
  }

  static boolean installed() {
    return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
  }

  /** A headless Chromium with a fresh profile and a window of the given size, on {@code base}. */
  static Browser open(String base, int width, int height) throws Exception {
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    o.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=" + width + "," + height,
        "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    return new Browser(new ChromeDriver(service, o), base);
  }

  /** Logs in through the login page and waits for the DAG list. */
  void logIn(String user, String password) {
    driver.get(base + "/login");
    driver.findElement(By.id("username")).sendKeys(user);
    driver.findElement(By.id("password")).sendKeys(password);
    driver.findElement(By.id("login-button")).click();
    waitUpTo(20).until(ExpectedConditions.presenceOfElementLocated(By.id("dag-table")));
  }

  /** Opens a page of the UI by its hash route, such as {@code #/kafka}. */
  void go(String hash) {
    driver.get(base + "/" + hash);
  }

  WebDriverWait waitUpTo(int seconds) {
    return new WebDriverWait(driver, Duration.ofSeconds(seconds));
  }

  WebElement visible(By by) {
    return waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  WebElement clickable(By by) {
    return waitUpTo(20).until(ExpectedConditions.elementToBeClickable(by));
  }

  /** Answers the confirmation dialog with its OK button and waits for it to close. */
  void confirm() {
    clickable(By.id("confirm-ok")).click();
    waitUpTo(10).until(ExpectedConditions.invisibilityOfElementLocated(By.id("confirm-dialog")));
  }

  /** The banner's text once it contains {@code expected}. */
  String banner(String expected) {
    waitUpTo(20)
        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("banner-text"), expected));
    return driver.findElement(By.id("banner-text")).getText();
  }

  /** Saves what the browser shows to {@code target/screenshots/{name}.png}. */
  void screenshot(String name) throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "screenshots"));
    Files.write(
        dir.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
  }

  @Override
  public void close() {
    driver.quit();
  }
}
