package yingyan.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import yingyan.canonical.Domain;
import yingyan.feed.FeedFixtures;
import yingyan.quarantine.QuarantineStore;
import yingyan.spi.Payloads;
import yingyan.store.RecordStore;

/**
 * Reads of personal data leave a trace: opening a quarantined item's raw payload and exporting records or
 * quarantine as CSV each write an audit entry naming who read, what (the entry; the query and how many rows)
 * and when — in the same chained log as the actions.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.application.name=personal-data-read-audit-test")
@ActiveProfiles("test")
class PersonalDataReadAuditTest {
    @Autowired
    QuarantineStore quarantine;
    @Autowired
    RecordStore records;
    @Autowired
    AuditLog audit;
    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void openingAQuarantinedRawPayloadIsAuditedWithTheEntry() throws Exception {
        byte[] raw = "{\"caseNo\":\"Q-1\",\"certNo\":\"11010519491231002X\"}".getBytes(StandardCharsets.UTF_8);
        long id = quarantine.add("approvals", "Q-1", "page 1", "certNo", "bad", Payloads.sha256(raw), raw,
                StandardCharsets.UTF_8);
        OffsetDateTime before = OffsetDateTime.now().minusSeconds(1);

        HttpResponse<String> opened = get("viewer", "viewer-secret", "/api/v1/quarantine/" + id, "application/json");
        assertThat(opened.statusCode()).isEqualTo(200);

        AuditEntry e = newest("viewer", PersonalDataRead.QUARANTINE_RAW);
        assertThat(e.target()).isEqualTo("/api/v1/quarantine/" + id);
        assertThat(e.outcome()).isEqualTo("HTTP 200: raw payload of quarantine entry " + id + " (adapter approvals, "
                + raw.length + " bytes)");
        assertThat(e.at()).isBetween(before, OffsetDateTime.now().plusSeconds(1));
    }

    @Test
    void csvExportsAreAuditedWithTheQueryAndTheRowCount() throws Exception {
        records.apply(List.of(FeedFixtures.rec("R-1", 1, "370783", Domain.APPROVAL),
                FeedFixtures.rec("R-2", 1, "370783", Domain.APPROVAL),
                FeedFixtures.rec("R-3", 1, "370700", Domain.HOUSING_FUND)));
        for (String key : List.of("Q-2", "Q-3")) {
            byte[] raw = key.getBytes(StandardCharsets.UTF_8);
            quarantine.add("procurement", key, "file", "x", "bad", Payloads.sha256(raw), raw, StandardCharsets.UTF_8);
        }

        HttpResponse<String> byHeader = get("operator", "operator-secret", "/api/v1/records?domain=APPROVAL&limit=10",
                "text/csv");
        assertThat(byHeader.statusCode()).isEqualTo(200);
        AuditEntry records = newest("operator", PersonalDataRead.RECORDS_CSV);
        assertThat(records.target()).isEqualTo("/api/v1/records?domain=APPROVAL&limit=10");
        assertThat(records.outcome()).isEqualTo("HTTP 200: 2 rows");

        HttpResponse<String> byParameter = get("viewer", "viewer-secret",
                "/api/v1/quarantine?format=csv&adapter=procurement&limit=1", "*/*");
        assertThat(byParameter.statusCode()).isEqualTo(200);
        AuditEntry quarantined = newest("viewer", PersonalDataRead.QUARANTINE_CSV);
        assertThat(quarantined.target()).isEqualTo("/api/v1/quarantine?format=csv&adapter=procurement&limit=1");
        assertThat(quarantined.outcome()).isEqualTo("HTTP 200: 1 rows (more on the next page)");
    }

    @Test
    void aJsonListIsNotAnExportAndLeavesNoEntry() throws Exception {
        long before = audit.all().size();
        assertThat(get("viewer", "viewer-secret", "/api/v1/records?limit=5", "application/json").statusCode())
                .isEqualTo(200);
        assertThat(audit.all()).hasSize((int) before);
    }

    /** The actor's newest entry, once there (the entry is written as the answer completes). */
    private AuditEntry newest(String actor, String action) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> audit.list(actor, null, null, 1).stream()
                .filter(e -> e.action().equals(action)).findFirst().orElse(null), e -> e != null);
    }

    private HttpResponse<String> get(String user, String password, String path, String accept) throws Exception {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Basic " + basic).header("Accept", accept)
                .GET().build();
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }
}
