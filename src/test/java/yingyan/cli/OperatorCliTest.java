package yingyan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import yingyan.audit.AuditLog;
import yingyan.quarantine.QuarantineStore;
import yingyan.spi.AdapterMonitor;
import yingyan.spi.Payloads;
import yingyan.testsupport.FakeApprovalsSystem;

/**
 * {@code yingyan status} and {@code yingyan quarantine} in this JVM against a whole hub on a random port,
 * whose approvals adapter is configured with a key its approval system refuses: status shows it DOWN
 * with the reason and exits 1; quarantined items are listed, a viewer may not release them, an operator
 * releases one into a stored record and is told why the other stays; every action is in the audit log.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.adapters.approvals.enabled=true",
        "hub.adapters.approvals.api-key=a-key-the-system-refuses",
        "hub.adapters.approvals.poll-interval=1h",
        "hub.adapters.approvals.max-attempts=1"})
@ActiveProfiles("test")
class OperatorCliTest {
    static final FakeApprovalsSystem APPROVALS = new FakeApprovalsSystem("the-systems-real-key");
    static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;
    @Autowired
    AdapterMonitor monitor;
    @Autowired
    QuarantineStore quarantine;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    AuditLog audit;

    @DynamicPropertySource
    static void approvals(DynamicPropertyRegistry r) {
        r.add("hub.adapters.approvals.base-url", APPROVALS::baseUrl);
    }

    @AfterAll
    static void stop() {
        APPROVALS.close();
    }

    @Test
    void statusShowsTheFailingAdapterWithItsReasonAndExits1() {
        await().atMost(Duration.ofSeconds(30)).until(() -> monitor.state("approvals").failing());

        CliRun r = CliRun.run("viewer-secret", "status", "--url", url(), "--user", "viewer");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("Yingyan hub at " + url() + ": DOWN")
                .containsPattern("ADAPTER\\s+STATE\\s+LAST SUCCESS\\s+QUEUED\\s+QUARANTINED\\s+LAST ERROR")
                .containsPattern("approvals\\s+DOWN\\s+never\\s+0\\s+\\d+\\s+\\d{4}-\\d\\d-\\d\\d")
                .contains("approvals is DOWN: approvals rejected the API key (401)")
                .containsPattern("land-transfer\\s+STOPPED")
                // (the quarantine test may have released a record, which the province is owed)
                .containsPattern("Province: (\\d+) not accepted \\(pending \\1, sending 0, rejected 0\\); oldest"
                        + " pending: (none|seq \\d+ \\(approvals:\\S+\\) waiting since .* ago\\)); sender off")
                .contains("Database: UP; broker: UP");
    }

    @Test
    void quarantinedItemsAreListedAndAnOperatorReleasesTheOneThatNowPasses() throws IOException {
        long good = quarantined(item("org-all-steps"), "state = '?': (as it was when first read)");
        long bad = quarantined(item("unknown-state"), "state = '已归档': must be one of 在办, 办结, 不予受理, 退回, 撤件");

        CliRun list = CliRun.run("viewer-secret", "quarantine", "list", "--adapter", "approvals", "--url", url(),
                "--user", "viewer");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).containsPattern("ID\\s+ADAPTER\\s+STATE\\s+SOURCE KEY\\s+FIELD\\s+SEEN\\s+RECEIVED\\s+REASON")
                .containsPattern(bad + "\\s+approvals\\s+OPEN\\s+\\S+\\s+state\\s+1\\s+.*已归档")
                .containsPattern(good + "\\s+approvals\\s+OPEN");

        CliRun viewer = CliRun.run("viewer-secret", "quarantine", "release", String.valueOf(good), "--url", url(),
                "--user", "viewer");
        assertThat(viewer.exitCode()).isEqualTo(2);
        assertThat(viewer.err()).contains("user 'viewer' may not POST /api/v1/quarantine/" + good
                + "/release (403): it needs the role OPERATOR");

        CliRun release = CliRun.run("operator-secret", "quarantine", "release", String.valueOf(good),
                String.valueOf(bad), "--url", url(), "--user", "operator");
        assertThat(release.exitCode()).as(release.toString()).isEqualTo(1);
        assertThat(release.out()).contains("#" + good + " RELEASED: queued as approvals:SG-2026-000123")
                .contains("#" + bad + " STILL_INVALID: ").contains("已归档").contains("1 of 2 released");

        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM record WHERE record_id = 'approvals:SG-2026-000123'", Integer.class) == 1);
        CliRun released = CliRun.run("viewer-secret", "quarantine", "list", "--state", "released", "--url", url(),
                "--user", "viewer");
        assertThat(released.out()).containsPattern(good + "\\s+approvals\\s+RELEASED").doesNotContain("已归档");
        assertThat(audit.list("operator", null, null, 10)).anySatisfy(e -> {
            assertThat(e.target()).isEqualTo("/api/v1/quarantine/" + good + "/release");
            assertThat(e.outcome()).isEqualTo("HTTP 200: RELEASED as approvals:SG-2026-000123 (queued as"
                    + " approvals:SG-2026-000123)");
        });

        CliRun show = CliRun.run("viewer-secret", "quarantine", "show", String.valueOf(bad), "--url", url(), "--user",
                "viewer");
        assertThat(show.out()).contains("已归档").contains("raw:").contains("\"caseNo\"");
    }

    /**
     * The one-off release after 2026-12: items quarantined as an "impossible timeline" (steps in an unusual order)
     * are valid records under the contract; `release --reason-containing` releases every open one, and only those.
     */
    @Test
    void anOperatorReleasesEveryItemQuarantinedForAReasonTheHubNoLongerHolds() throws IOException {
        long timeline = quarantined(item("bad-values", "SG-2026-001207"), "timeline.RECEIVED = '2026-07-03T09:00:00+08:00':"
                + " comes after ACCEPTED (2026-07-02T09:00:00+08:00) although it is an earlier step: impossible timeline");
        long other = quarantined(item("unknown-applicant-kind"), "applicant.kind = '个体工商户': must be one of 法人, 自然人");

        CliRun both = CliRun.run("operator-secret", "quarantine", "release", String.valueOf(other),
                "--reason-containing", "impossible timeline", "--url", url(), "--user", "operator");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("give either ids or a non-empty --reason-containing, not both");

        CliRun release = CliRun.run("operator-secret", "quarantine", "release", "--reason-containing",
                "impossible timeline", "--url", url(), "--user", "operator");
        assertThat(release.exitCode()).as(release.toString()).isZero();
        assertThat(release.out()).contains("1 open item(s) whose reason contains 'impossible timeline'")
                .contains("#" + timeline + " RELEASED: queued as approvals:SG-2026-001207").doesNotContain("#" + other + " ");
        assertThat(jdbc.queryForObject("SELECT state FROM quarantine WHERE id = ?", String.class, other))
                .isEqualTo("OPEN");
    }

    @Test
    void aWrongPasswordNoPasswordAndNoHubAreEachSaidPlainlyWithExitCode2() throws IOException {
        CliRun wrong = CliRun.run("not-the-password", "status", "--url", url(), "--user", "viewer");
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.err()).contains("refused the password of user 'viewer' (401)");

        CliRun none = CliRun.run(null, "status", "--url", url(), "--user", "viewer");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("no password for viewer: set YINGYAN_CLI_PASSWORD");

        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        CliRun down = CliRun.run("viewer-secret", "status", "--url", "http://127.0.0.1:" + closed, "--user", "viewer");
        assertThat(down.exitCode()).isEqualTo(2);
        assertThat(down.err()).contains("cannot reach the hub at http://127.0.0.1:" + closed).contains("is it running");
    }

    private String url() {
        return "http://127.0.0.1:" + port;
    }

    private long quarantined(byte[] raw, String reason) {
        return quarantine.add("approvals", null, "page 1 item 1 (test)", "state", reason, Payloads.sha256(raw), raw,
                StandardCharsets.UTF_8);
    }

    /** The first item of a test-data page, as the approvals adapter keeps it. */
    private static byte[] item(String testCase) throws IOException {
        JsonNode page = JSON.readTree(Path.of("test-data/approvals", testCase, "input.json").toFile());
        return JSON.writeValueAsBytes(page.get("items").get(0));
    }

    /** The item of a test-data page with this case number. */
    private static byte[] item(String testCase, String caseNo) throws IOException {
        JsonNode page = JSON.readTree(Path.of("test-data/approvals", testCase, "input.json").toFile());
        for (JsonNode i : page.get("items")) {
            if (caseNo.equals(i.path("caseNo").asText())) {
                return JSON.writeValueAsBytes(i);
            }
        }
        throw new IllegalArgumentException(caseNo + " is not in test-data/approvals/" + testCase);
    }
}
