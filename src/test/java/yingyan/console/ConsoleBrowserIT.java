package yingyan.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;
import yingyan.canonical.ResidentIds;
import yingyan.ingest.FixtureMapper;
import yingyan.spi.IngestGateway;
import yingyan.supervision.alerts.AlertFixtures;
import yingyan.testsupport.FakeApprovalsSystem;
import yingyan.testsupport.Services;

/**
 * The console in a real browser (Debian's chromium, headless, driven through its chromedriver) against a
 * whole hub: the flow board shows an approval system that refuses the key as failing, an operator
 * releases a quarantined item on the page and finds it as a record, a viewer has no way to release and
 * the hub refuses it anyway; the alerts tab counts open cards per department and region, an alert opens the
 * record versions it was computed from, a supervisor acknowledges it with a note (a viewer cannot); the
 * reporting-quality tab shows what its API says. Screenshots go to target/screenshots/ (never with a resident
 * ID in clear).
 * Skipped where chromium or chromedriver is absent, unless YINGYAN_REQUIRE_SERVICES=true.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.adapters.approvals.enabled=true",
        "hub.adapters.approvals.poll-interval=1h",
        "hub.adapters.approvals.max-attempts=1",
        "hub.console.stats-max-age=0s",
        "hub.console.ledger-totals-max-age=0s",
        // The alert engine runs as in production (the follower after every apply), with the alert tests' rules.
        "hub.supervision.alerts.enabled=true",
        "hub.supervision.alerts.follow-interval=200ms",
        "hub.security.users[0].name=operator", "hub.security.users[0].password=operator-secret",
        "hub.security.users[0].roles=OPERATOR,VIEWER",
        "hub.security.users[1].name=viewer", "hub.security.users[1].password=viewer-secret",
        "hub.security.users[1].roles=VIEWER",
        "hub.security.users[2].name=supervisor", "hub.security.users[2].password=supervisor-secret",
        "hub.security.users[2].roles=SUPERVISOR,VIEWER"})
@ActiveProfiles("test")
@Import({FixtureMapper.Config.class, AlertFixtures.Rules.class})
class ConsoleBrowserIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** A valid resident ID (check character X): it must never be on the page in clear. */
    private static final String RESIDENT_ID = "11010519491231002X";
    private static final Duration WAIT = Duration.ofSeconds(60);

    static final FakeApprovalsSystem APPROVALS = new FakeApprovalsSystem("test-approvals-key");
    static ChromeDriverService service;
    static WebDriver driver;
    static Path profile;

    static {
        APPROVALS.failWith(401);
    }

    @Autowired IngestGateway gateway;
    @Autowired JdbcTemplate jdbc;
    @Autowired JmsTemplate jms;
    @LocalServerPort int port;

    @DynamicPropertySource
    static void approvals(DynamicPropertyRegistry registry) {
        registry.add("hub.adapters.approvals.base-url", APPROVALS::baseUrl);
    }

    @BeforeAll
    static void browser() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String why = "chromium and chromium-driver are needed (apt-get install -y chromium chromium-driver)";
            if (Services.required()) {
                throw new IllegalStateException(why + ": " + Services.REQUIRE + "=true makes this test mandatory");
            }
            Assumptions.abort(why + "; set " + Services.REQUIRE + "=true to make this test mandatory");
        }
        profile = Files.createTempDirectory("yingyan-chromium-");
        // The driver is named here, so Selenium Manager has nothing to download (the network is closed).
        // The browser in London: the console still shows every time in Beijing time (Asia/Shanghai).
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withEnvironment(Map.of("TZ", "Europe/London")).build();
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1680,1050", "--lang=zh-CN");
        driver = new ChromeDriver(service, o);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void closeBrowser() {
        if (driver != null) {
            driver.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (profile != null) {
            FileSystemUtils.deleteRecursively(profile.toFile());
        }
        APPROVALS.close();
    }

    @BeforeEach
    void freshTab() {
        driver.get(url("/console/#board"));
        js("sessionStorage.clear(); localStorage.setItem('yingyan.lang', 'zh');");
        driver.navigate().refresh(); // signed out, in Chinese
    }

    @AfterEach
    void mappingAsShipped() {
        FixtureMapper.pendingKnown = false;
    }

    @Test
    void theFlowBoardShowsAnAdapterWhoseSourceRefusesTheKeyAsFailingAndWhy() throws IOException {
        gateway.submit(List.of(FixtureMapper.item("FB-1", "2026-11-28 09:00:00", "1.00"),
                FixtureMapper.item("FB-2", "2026-11-28 09:01:00", "2.00"),
                FixtureMapper.item("FB-3", "2026-11-28 09:02:00", "3.00")));
        await().atMost(WAIT).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM record WHERE record_id LIKE 'fixture:FB-%'", Long.class) == 3);
        long stored = jdbc.queryForObject("SELECT SUM(applied) FROM flow_minute WHERE adapter = ?", Long.class,
                FixtureMapper.ID);
        signIn("operator");
        // What the fixture department delivered: the hour's count, and the chart adds up to the same.
        WebElement fixture = waitFor("#board-rows tr[data-adapter='fixture']");
        assertThat(fixture.findElement(By.cssSelector("td.last-hour")).getText()).startsWith(String.valueOf(stored));
        assertThat(fixture.findElement(By.cssSelector("svg.spark")).getAttribute("data-total"))
                .isEqualTo(String.valueOf(stored));
        assertThat(fixture.findElement(By.cssSelector("td.lag")).getText()).isNotEqualTo("—");
        WebElement state = waitFor("#board-rows tr[data-adapter='approvals'][data-state='FAILING'] td.state-col");
        assertThat(state.getText()).contains("故障").contains("401");
        WebElement province = waitFor("#province-row[data-state]");
        assertThat(province.getText()).contains("已停止");
        // Every other adapter is stopped in the test hub, and says so.
        assertThat(driver.findElement(By.cssSelector("#board-rows tr[data-adapter='housing-fund']"))
                .getAttribute("data-state")).isEqualTo("STOPPED");
        screenshot("flow-board.png");

        // The same board in English.
        driver.findElement(By.id("lang-en")).click();
        waitFor("#board-rows tr[data-adapter='approvals'][data-state='FAILING']");
        assertThat(text("#board-rows tr[data-adapter='approvals'] td.state-col")).contains("failing");
        assertThat(text("#board-table thead")).contains("Last minute").contains("Lag").contains("Quarantined (open)");
        screenshot("flow-board-en.png");

        // An operator stops it (after confirming) and starts it again: the board follows.
        driver.findElement(By.cssSelector("#board-rows tr[data-adapter='approvals'] button.act-stop")).click();
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.alertIsPresent()).accept();
        waitFor("#board-rows tr[data-adapter='approvals'][data-state='STOPPED']");
        assertThat(text("#board-rows tr[data-adapter='approvals'] td.state-col")).contains("stopped by operator at");
        driver.findElement(By.cssSelector("#board-rows tr[data-adapter='approvals'] button.act-start")).click();
        waitFor("#board-rows tr[data-adapter='approvals'][data-state='FAILING']");
    }

    @Test
    void anOperatorReleasesAQuarantinedItemOnThePageAndFindsItAsARecord() throws IOException {
        gateway.submit(List.of(ConsoleApiTest.pending("CB-1", RESIDENT_ID)));
        long id = await().atMost(WAIT).until(() -> jdbc.queryForList(
                "SELECT id FROM quarantine WHERE source_key = 'CB-1' AND state = 'OPEN'", Long.class), l -> !l.isEmpty())
                .get(0);

        signIn("operator");
        driver.findElement(By.id("tab-quarantine")).click();
        present("#q-adapter option[value='" + FixtureMapper.ID + "']"); // the adapters come with the board
        new Select(driver.findElement(By.id("q-adapter"))).selectByValue(FixtureMapper.ID);
        driver.findElement(By.id("q-reason")).sendKeys("unknown state");
        driver.findElement(By.id("q-search")).click();
        waitFor("#q-table[data-query*='reason=unknown']"); // the filtered list is the one shown
        WebElement row = waitFor("#q-rows tr[data-id='" + id + "']");
        assertThat(row.getText()).contains("CB-1").contains("state");
        row.findElement(By.cssSelector("button.q-open")).click();
        WebElement raw = waitFor("#q-detail-raw");
        new WebDriverWait(driver, WAIT).until(d -> raw.getText().contains("CB-1"));
        assertThat(raw.getText()).as("the raw payload, resident ID masked").contains(ResidentIds.mask(RESIDENT_ID))
                .doesNotContain(RESIDENT_ID);
        screenshot("quarantine.png");

        // The mapping learns the state (a fix was deployed); the operator ticks the item and releases it.
        FixtureMapper.pendingKnown = true;
        row.findElement(By.cssSelector("input.q-pick")).click();
        driver.findElement(By.id("q-release-selected")).click();
        WebElement outcome = waitFor("#q-outcomes li[data-id='" + id + "']");
        assertThat(outcome.getAttribute("data-outcome")).isEqualTo("RELEASED");
        assertThat(outcome.getText()).contains("已放行").contains("fixture:CB-1");
        screenshot("quarantine-released.png");

        // Once persisted, the record is found from the outcome's link and by its source key.
        await().atMost(WAIT).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM record WHERE record_id = 'fixture:CB-1'", Long.class) == 1);
        outcome.findElement(By.cssSelector("button.show-record")).click();
        waitFor("#r-version-rows tr[data-seq]");
        assertThat(text("#r-result-id")).isEqualTo("fixture:CB-1");
        assertThat(text("#r-version-rows")).contains("CB-1").contains("待推送")
                .as("the source's time in Beijing time, not the browser's zone (London: 00:00:00)")
                .contains("2026-11-28 08:00:00");
        assertThat(text("#r-current")).contains(ResidentIds.mask(RESIDENT_ID)).doesNotContain(RESIDENT_ID);

        driver.findElement(By.id("r-record-id")).clear();
        js("document.getElementById('r-result').hidden = true;");
        present("#r-adapter option[value='" + FixtureMapper.ID + "']");
        new Select(driver.findElement(By.id("r-adapter"))).selectByValue(FixtureMapper.ID);
        driver.findElement(By.id("r-source-key")).sendKeys("CB-1");
        driver.findElement(By.id("r-find-key")).click();
        waitFor("#r-result:not([hidden]) #r-version-rows tr[data-seq]");
        assertThat(text("#r-result-id")).isEqualTo("fixture:CB-1");
        screenshot("record.png");

        // The release is in the audit log on the page, with who and the outcome; so is the operator's reading of
        // the item's raw payload (a read of personal data), which the page repeats after the release.
        driver.findElement(By.id("tab-audit")).click();
        waitFor("#a-rows tr[data-seq]");
        List<String> rows = driver.findElements(By.cssSelector("#a-rows tr[data-seq]")).stream()
                .map(WebElement::getText).toList();
        assertThat(rows).anySatisfy(entry -> assertThat(entry).contains("operator")
                .contains("/api/v1/quarantine/" + id + "/release").contains("RELEASED"));
        assertThat(rows).anySatisfy(entry -> assertThat(entry).contains("operator").contains("READ")
                .contains("/api/v1/quarantine/" + id + " "));
    }

    @Test
    void anOperatorSeesADeadLetteredMessageAndMovesItBackOnThePage() throws IOException {
        jms.convertAndSend("yingyan.ingest", "this is not a batch"); // dead-lettered after its delivery attempts
        await().atMost(WAIT).until(() -> jms.browse("DLQ", (session, browser) ->
                browser.getEnumeration().hasMoreElements()));

        signIn("operator");
        driver.findElement(By.id("tab-deadletters")).click();
        WebElement row = waitFor("#d-rows tr[data-message]");
        assertThat(row.getText()).contains("yingyan.ingest").contains("not a batch");
        String id = row.getAttribute("data-message");
        screenshot("dead-letters.png");

        row.findElement(By.cssSelector("button.act-requeue")).click();
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.alertIsPresent()).accept();
        WebElement outcome = waitFor("#d-outcomes li.ok");
        assertThat(outcome.getText()).contains(id).contains("MOVED").contains("yingyan.ingest");

        driver.findElement(By.id("tab-audit")).click();
        WebElement entry = waitFor("#a-rows tr[data-seq]");
        assertThat(entry.getText()).contains("operator").contains("/api/v1/dead-letters/").contains("MOVED");
    }

    @Test
    void aViewerHasNoWayToReleaseAndTheHubRefusesItAnyway() {
        gateway.submit(List.of(ConsoleApiTest.pending("CB-2", null)));
        long id = await().atMost(WAIT).until(() -> jdbc.queryForList(
                "SELECT id FROM quarantine WHERE source_key = 'CB-2' AND state = 'OPEN'", Long.class), l -> !l.isEmpty())
                .get(0);

        signIn("viewer");
        waitFor("#board-rows tr[data-adapter='approvals']");
        assertThat(driver.findElements(By.cssSelector("#board-rows button.action"))).as("no adapter actions").isEmpty();
        driver.findElement(By.id("tab-quarantine")).click();
        waitFor("#q-table[data-query]");
        WebElement row = waitFor("#q-rows tr[data-id='" + id + "']");
        assertThat(row.findElements(By.cssSelector("input.q-pick"))).as("nothing to tick").isEmpty();
        WebElement releaseSelected = driver.findElement(By.id("q-release-selected"));
        assertThat(releaseSelected.isDisplayed() && releaseSelected.isEnabled()).isFalse();
        row.findElement(By.cssSelector("button.q-open")).click();
        waitFor("#q-detail:not([hidden])");
        WebElement release = driver.findElement(By.id("q-detail-release"));
        assertThat(release.isDisplayed() && release.isEnabled()).isFalse();

        // The page's own credential, used by hand: the hub answers 403 and the item stays open.
        Object status = ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "const s = JSON.parse(sessionStorage.getItem('yingyan.session'));"
                        + "fetch('/api/v1/quarantine/" + id + "/release', {method: 'POST', headers: {"
                        + " Authorization: 'Basic ' + s.auth, 'X-Requested-With': 'XMLHttpRequest'}})"
                        + ".then(r => done(r.status), e => done(String(e)));");
        assertThat(((Number) status).intValue()).isEqualTo(403);
        assertThat(jdbc.queryForObject("SELECT state FROM quarantine WHERE id = ?", String.class, id))
                .isEqualTo("OPEN");
    }

    @Test
    void aSupervisorFindsAnAlertByItsCountsOpensItsRecordVersionsAndAcknowledgesIt() throws IOException {
        // Fees over 1000.00 are a RED card (the alert tests' T_FEE rule): two cases in two regions, and AL-1 corrected
        // once, so its alert names the second version.
        gateway.submit(List.of(FixtureMapper.item("AL-1", "2026-12-01 09:00:00", "2500.00", "370783"),
                FixtureMapper.item("AL-2", "2026-12-01 10:00:00", "3000.00", "370700")));
        await().atMost(WAIT).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM record WHERE record_id IN ('fixture:AL-1', 'fixture:AL-2')", Long.class) == 2);
        gateway.submit(List.of(FixtureMapper.item("AL-1", "2026-12-01 11:00:00", "2600.00", "370783")));
        await().atMost(WAIT).until(() -> jdbc.queryForList("SELECT inputs FROM alert WHERE rule = 'T_FEE' AND"
                + " record_ids LIKE '%fixture:AL-1%' AND cleared_at IS NULL", String.class),
                l -> l.size() == 1 && l.get(0).contains("T11:00:00"));
        await().atMost(WAIT).until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM alert WHERE rule = 'T_FEE' AND"
                + " record_ids LIKE '%fixture:AL-2%'", Long.class) == 1);
        long second = jdbc.queryForObject("SELECT MAX(seq) FROM record_version WHERE record_id = 'fixture:AL-1'",
                Long.class);
        String alertId = jdbc.queryForObject("SELECT alert_id FROM alert WHERE rule = 'T_FEE' AND record_ids LIKE"
                + " '%fixture:AL-1%' AND cleared_at IS NULL", String.class);

        signIn("supervisor");
        driver.findElement(By.id("tab-alerts")).click();
        waitFor("#al-table[data-query]");
        driver.findElement(By.id("al-rule")).sendKeys("T_FEE");
        driver.findElement(By.id("al-search")).click();
        waitFor("#al-table[data-query*='rule=T_FEE']");
        // The counts follow the filter: FIXTURE has two open RED cards, one in each region.
        WebElement department = waitFor("#al-department-rows tr[data-code='FIXTURE']");
        assertThat(department.findElement(By.cssSelector("td.red")).getText()).isEqualTo("2");
        assertThat(department.findElement(By.cssSelector("td.yellow")).getText()).isEqualTo("0");
        assertThat(text("#al-region-rows tr[data-code='370783'] td.red")).isEqualTo("1");
        assertThat(text("#al-region-rows tr[data-code='370700'] td.red")).isEqualTo("1");
        assertThat(driver.findElements(By.cssSelector("#al-rows tr[data-rule='T_FEE'][data-level='RED']"))).hasSize(2);
        // A region's count filters the list by it.
        driver.findElement(By.cssSelector("#al-region-rows tr[data-code='370783'] button")).click();
        waitFor("#al-table[data-query*='regionCode=370783']");
        WebElement row = waitFor("#al-rows tr[data-alert='" + alertId + "']");
        assertThat(driver.findElements(By.cssSelector("#al-rows tr[data-alert]"))).hasSize(1);
        assertThat(row.getText()).contains("红牌").contains("T_FEE").contains("fixture:AL-1").contains("未处理");
        screenshot("alerts.png");

        // The alert opens the exact record version it was computed from, with its rule and rule version.
        row.findElement(By.cssSelector("button.al-open")).click();
        WebElement input = waitFor("#al-input-rows tr[data-record='fixture:AL-1'][data-seq='" + second + "']");
        assertThat(input.findElement(By.cssSelector("td.current")).getText()).isEqualTo("是");
        String hash = jdbc.queryForObject("SELECT payload_sha256 FROM record_version WHERE seq = ?", String.class,
                second);
        assertThat(input.getText()).contains(hash.substring(0, 12)).contains("fixture");
        assertThat(text("#al-detail-fields dd[data-field='alerts.rule']")).isEqualTo("T_FEE（第 1 版）");
        assertThat(text("#al-events")).contains("触发");
        assertThat(text("#al-acks")).contains("尚无确认");

        // The supervisor acknowledges it with a note and sees the acknowledgement; so does the audit log.
        driver.findElement(By.id("al-ack-note")).sendKeys("已电话督办，限期三日内退费");
        driver.findElement(By.id("al-ack")).click();
        WebElement ack = waitFor("#al-acks li.ack-item");
        assertThat(ack.getText()).contains("supervisor").contains("已电话督办，限期三日内退费");
        assertThat(jdbc.queryForList("SELECT note FROM alert_ack k JOIN alert a ON a.num = k.alert_num"
                + " WHERE a.alert_id = ?", String.class, alertId)).containsExactly("已电话督办，限期三日内退费");
        screenshot("alert-acknowledged.png");

        // In English too.
        driver.findElement(By.id("lang-en")).click();
        assertThat(text("#view-alerts h2")).isEqualTo("Open yellow / red cards");
        assertThat(text("#al-ack")).isEqualTo("Acknowledge");
        driver.findElement(By.id("lang-zh")).click();

        // The record link opens the record with that version marked.
        input.findElement(By.cssSelector("button.al-record")).click();
        waitFor("#r-version-rows tr.selected[data-seq='" + second + "']");
        assertThat(text("#r-result-id")).isEqualTo("fixture:AL-1");
        assertThat(driver.findElements(By.cssSelector("#r-version-rows tr[data-seq]"))).hasSize(2);

        driver.findElement(By.id("tab-audit")).click();
        waitFor("#a-rows tr[data-seq]");
        assertThat(driver.findElements(By.cssSelector("#a-rows tr[data-seq]")).stream().map(WebElement::getText))
                .anySatisfy(entry -> assertThat(entry).contains("supervisor")
                        .contains("/api/v1/alerts/" + alertId + "/acknowledge").contains("已电话督办"));
    }

    @Test
    void aViewerReadsAlertsButHasNoAcknowledgeButtonAndTheHubRefusesItAnyway() {
        gateway.submit(List.of(FixtureMapper.item("AL-V", "2026-12-02 09:00:00", "4000.00")));
        String alertId = await().atMost(WAIT).until(() -> jdbc.queryForList("SELECT alert_id FROM alert WHERE"
                + " rule = 'T_FEE' AND record_ids LIKE '%fixture:AL-V%'", String.class), l -> !l.isEmpty()).get(0);

        signIn("viewer");
        driver.findElement(By.id("tab-alerts")).click();
        WebElement row = waitFor("#al-rows tr[data-alert='" + alertId + "']");
        row.findElement(By.cssSelector("button.al-open")).click();
        waitFor("#al-input-rows tr[data-record='fixture:AL-V']");
        WebElement acknowledge = driver.findElement(By.id("al-ack"));
        assertThat(acknowledge.isDisplayed() && acknowledge.isEnabled()).as("no acknowledge control").isFalse();
        assertThat(driver.findElement(By.id("al-ack-note")).isDisplayed()).isFalse();

        Object status = ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "const s = JSON.parse(sessionStorage.getItem('yingyan.session'));"
                        + "fetch('/api/v1/alerts/" + alertId + "/acknowledge', {method: 'POST', headers: {"
                        + " Authorization: 'Basic ' + s.auth, 'X-Requested-With': 'XMLHttpRequest',"
                        + " 'Content-Type': 'application/x-www-form-urlencoded'}, body: 'note=x'})"
                        + ".then(r => done(r.status), e => done(String(e)));");
        assertThat(((Number) status).intValue()).isEqualTo(403);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM alert_ack k JOIN alert a ON a.num = k.alert_num"
                + " WHERE a.alert_id = ?", Long.class, alertId)).isZero();
    }

    @Test
    void theQualityTabShowsWhatItsApiSaysPerDepartmentWithATwelveMonthChart() throws IOException {
        gateway.submit(List.of(FixtureMapper.item("QA-1", "2026-12-03 09:00:00", "1.00"),
                FixtureMapper.item("QA-2", "2026-12-03 09:05:00", "2.00")));
        await().atMost(WAIT).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM record WHERE record_id LIKE 'fixture:QA-%'", Long.class) == 2);

        signIn("viewer");
        driver.findElement(By.id("tab-quality")).click();
        WebElement row = waitFor("#qa-rows tr[data-department='fixture FIXTURE']");
        // The figures the page shows are the API's for the month shown (the current Beijing month).
        @SuppressWarnings("unchecked")
        Map<String, Object> api = (Map<String, Object>) ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "const s = JSON.parse(sessionStorage.getItem('yingyan.session'));"
                        + "const month = document.getElementById('qa-month').value;"
                        + "fetch('/api/v1/quality?month=' + month, {headers: {Authorization: 'Basic ' + s.auth}})"
                        + ".then(r => r.json()).then(j => done(j.items.find(i => i.sourceSystem === 'fixture')))"
                        + ".catch(e => done(String(e)));");
        long versions = ((Number) api.get("versions")).longValue();
        assertThat(versions).isGreaterThanOrEqualTo(2);
        List<WebElement> cells = row.findElements(By.cssSelector("td"));
        assertThat(cells.get(2).getText()).isEqualTo(String.valueOf(versions));
        assertThat(cells.get(3).getText()).isEqualTo(String.valueOf(api.get("records")));
        // The chart: twelve months, oldest first, ending with this month's versions.
        WebElement chart = row.findElement(By.cssSelector("svg.spark"));
        assertThat(chart.findElements(By.cssSelector("rect.bar"))).hasSize(12);
        List<String> bars = List.of(chart.getAttribute("data-versions").split(","));
        assertThat(bars).hasSize(12);
        assertThat(bars.get(11)).isEqualTo(String.valueOf(versions));
        assertThat(text("#qa-acc-rows tr[data-adapter='fixture']")).contains("fixture");
        screenshot("quality.png");
        driver.findElement(By.id("lang-en")).click();
        assertThat(text("#qa-table thead")).contains("Versions").contains("Last 12 months");
        screenshot("quality-en.png");
    }

    @Test
    void everyLabelExistsInBothLanguages() {
        @SuppressWarnings("unchecked")
        Map<String, Object> missing = (Map<String, Object>) js(
                "const d = window.YINGYAN_I18N, zh = Object.keys(d.zh), en = Object.keys(d.en);"
                        + "const used = [...document.querySelectorAll('[data-i18n]')].map(e => e.dataset.i18n);"
                        + "return {zhOnly: zh.filter(k => !(k in d.en)), enOnly: en.filter(k => !(k in d.zh)),"
                        + " unknown: used.filter(k => !(k in d.zh) || !(k in d.en))};");
        assertThat(missing.get("zhOnly")).asList().isEmpty();
        assertThat(missing.get("enOnly")).asList().isEmpty();
        assertThat(missing.get("unknown")).asList().isEmpty();
        driver.findElement(By.id("lang-en")).click();
        assertThat(text("#login h2")).isEqualTo("Sign in");
        driver.findElement(By.id("lang-zh")).click();
        assertThat(text("#login h2")).isEqualTo("登录");
    }

    // ---- helpers ----

    private void signIn(String user) {
        waitFor("#login-user").sendKeys(user);
        driver.findElement(By.id("login-password")).sendKeys(user + "-secret");
        driver.findElement(By.id("login-submit")).click();
        waitFor("#app:not([hidden])");
        assertThat(text("#who")).startsWith(user);
    }

    private WebElement waitFor(String css) {
        try {
            return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector(css)));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("not shown: " + css + "; the page says: " + pageState(), e);
        }
    }

    private WebElement present(String css) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }

    /** What a person would look at first when a step fails: the message line and the visible view. */
    private String pageState() {
        try {
            return "flash=" + js("return document.getElementById('flash').textContent") + "; view="
                    + js("const v = [...document.querySelectorAll('.view')].find(v => !v.hidden);"
                    + " return v ? v.id + ': ' + v.innerText.substring(0, 800) : document.body.innerText.substring(0, 800)");
        } catch (RuntimeException e) {
            return e.toString();
        }
    }

    private String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    private Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    /** Saves what the page shows; refuses if a resident ID is anywhere in the page in clear. */
    private void screenshot(String name) throws IOException {
        assertThat(driver.getPageSource()).as("no resident ID in clear on a screenshot").doesNotContain(RESIDENT_ID);
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }
}
