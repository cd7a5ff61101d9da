package io.jask.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: Debian's headless Chromium, driven by Selenium through Debian's
 * chromedriver, watches a LocalCluster (two worker JVMs) while a job runs. The page must load,
 * list the workers and show progress that advances to the scheduler's own count. Screenshots of
 * every page go to {@code target/dashboard-screenshots/}.
 *
 * <p>Chromium is required: CI installs {@code chromium} and {@code chromium-driver}; without them
 * this test fails (it does not skip). {@code -Djask.test.chromium=PATH} and {@code
 * -Djask.test.chromedriver=PATH} point elsewhere.
 */
class DashboardBrowserIT {
  static final Path SHOTS = Path.of("target", "dashboard-screenshots");
  static LocalCluster cluster;
  static Client client;
  static WebDriver browser;

  @BeforeAll
  static void start() throws Exception {
    String chromium = System.getProperty("jask.test.chromium", "/usr/bin/chromium");
    String driver = System.getProperty("jask.test.chromedriver", "/usr/bin/chromedriver");
    if (!Files.isExecutable(Path.of(chromium)) || !Files.isExecutable(Path.of(driver))) {
      fail("headless Chromium is required for the dashboard test: " + chromium + " and " + driver
          + " must exist (apt-get install chromium chromium-driver; .ci/run installs them)");
    }
    Files.createDirectories(SHOTS);
    cluster = LocalCluster.builder().workers(2).threadsPerWorker(2).memoryLimit("512MiB").dashboardAddress("127.0.0.1:0").build();
    client = Client.connect(cluster.schedulerAddress(), false);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1000");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(driver)).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  static void shot(String name) throws Exception {
    byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(SHOTS.resolve(name + ".png"), png);
  }

  /** Reads in one script call: the page re-renders its panels on every update. */
  static Object js(String script) {
    return ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(script);
  }

  static long tasksDone() {
    Object t = js("var e = document.getElementById('tasks-done'); return e ? e.textContent : '';");
    return t == null || t.toString().isBlank() ? -1 : Long.parseLong(t.toString().trim());
  }

  @Test
  void statusPage_listsWorkers_andItsProgressAdvancesWhileAJobRuns() throws Exception {
    org.openqa.selenium.support.ui.Wait<WebDriver> wait = new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(100))
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    browser.get(cluster.dashboardLink().orElseThrow());
    Set<String> names = cluster.workers().stream().map(LocalCluster.WorkerHandle::name).collect(Collectors.toSet());
    wait.until(b -> b.findElements(By.cssSelector("#worker-list .worker-item")).size() == names.size());
    @SuppressWarnings("unchecked")
    Set<String> listed = new java.util.HashSet<>((List<String>) js(
        "return Array.from(document.querySelectorAll('#worker-list .worker-item a')).map(a => a.textContent);"));
    assertEquals(names, listed, "the page lists the cluster's workers");
    assertEquals(0, tasksDone());

    // a tree reduction: 240 loads of ~40 ms on 4 threads, 120 adds, 12 partial sums, 1 total
    DemoJob job = DemoJob.of("browser", 240, 40);
    Future<Long> total = client.compute(job);
    int tasks = job.tasks() + 1; // Client.compute adds one "finalize" task

    wait.until(b -> tasksDone() > 0);
    long first = tasksDone();
    wait.until(b -> tasksDone() > first);
    long second = tasksDone();
    assertTrue(second > first && second <= tasks, "progress advances: " + first + " then " + second);
    shot("status-running");

    assertEquals(job.expected(), total.result());
    wait.until(b -> tasksDone() == tasks);
    long schedulerCount = cluster.scheduler().diagnostics().finishedTotal();
    assertEquals(tasks, schedulerCount, "the scheduler's own count");
    @SuppressWarnings("unchecked")
    List<String> rows = (List<String>) js(
        "return Array.from(document.querySelectorAll('#progress .progress-row .progress-text')).map(t => t.textContent);");
    assertEquals(5, rows.size(), "one progress bar per task prefix (load, add, partial, total, finalize): " + rows);
    long finishedInBars = 0;
    for (String row : rows) {
      String[] done = row.split(" / ");
      assertEquals(done[0].trim(), done[1].trim().split(" ")[0], "every prefix complete: " + row);
      finishedInBars += Long.parseLong(done[0].trim());
    }
    assertEquals(tasks, finishedInBars);
    int bars = ((Number) js("return document.querySelectorAll('#task-stream canvas').length")).intValue();
    assertEquals(1, bars, "the task stream canvas is drawn");
    shot("status");

    // the other pages
    browser.get(cluster.dashboardLink().orElseThrow().replace("/status", "/workers"));
    wait.until(b -> b.findElements(By.cssSelector("#workers-table .worker-row")).size() == names.size());
    shot("workers");
    browser.get(cluster.dashboardLink().orElseThrow().replace("/status", "/graph"));
    wait.until(b -> !b.findElements(By.cssSelector("#graph-svg circle.node")).isEmpty());
    int tracked = cluster.scheduler().inspect(s -> s.keys().size());
    wait.until(b -> b.findElements(By.cssSelector("#graph-svg circle.node")).size() == tracked);
    shot("graph");
    browser.findElement(By.cssSelector("nav a[data-nav=workers]")).click();
    wait.until(b -> !b.findElements(By.cssSelector("#workers-table .worker-row a")).isEmpty());
    browser.findElements(By.cssSelector("#workers-table .worker-row a")).get(0).click();
    wait.until(b -> !b.findElements(By.id("worker-table")).isEmpty());
    String table = String.valueOf(js("return document.getElementById('worker-table').textContent;"));
    assertTrue(table.contains(cluster.workers().get(0).name()) || table.contains(cluster.workers().get(1).name()), table);
    shot("worker");
    assertTrue(Files.size(SHOTS.resolve("status.png")) > 10_000, "a real screenshot");
  }
}
