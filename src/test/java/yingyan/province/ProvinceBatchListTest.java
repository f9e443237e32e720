package yingyan.province;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import yingyan.spi.Payloads;

/**
 * Listing batches (the console's Province push tab, {@code GET /api/v1/province/batches}, health's oldest
 * open batch) reads no bodies: a list of 1 000 batches of up to 5 MB each must not pull 5 GB out of the
 * database to show their sizes. The send path still reads the exact body, byte for byte.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ProvinceBatchListTest {
    @Autowired
    DeliveryQueries queries;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TestRestTemplate http;

    private final byte[] body = new byte[1_000_000];

    @BeforeEach
    void twoBigBatches() {
        jdbc.update("DELETE FROM province_batch WHERE batch_id LIKE 'list-%'");
        Arrays.fill(body, (byte) 'x');
        insert("list-1", "DONE");
        insert("list-2", "SENDING");
    }

    @Test
    void listsReadNoBodies_theSendPathReadsTheExactBody() throws Exception {
        assertThat(queries.batches(null, 1000)).filteredOn(b -> b.batchId().startsWith("list-")).hasSize(2)
                .allSatisfy(b -> {
                    assertThat(b.body() == null).as("body of listed batch %s left out", b.batchId()).isTrue();
                    assertThat(b.bodySize()).isEqualTo(body.length);
                });
        assertThat(queries.batches("SENDING", 1000)).allSatisfy(b -> assertThat(b.body() == null).isTrue());
        assertThat(queries.oldestOpen()).get().satisfies(b -> assertThat(b.body() == null).isTrue());

        ResponseEntity<String> listed = http.withBasicAuth("viewer", "viewer-secret")
                .getForEntity("/api/v1/province/batches?limit=1000", String.class);
        assertThat(listed.getStatusCode().value()).isEqualTo(200);
        JsonNode items = new ObjectMapper().readTree(listed.getBody()).get("items");
        assertThat(items.findValuesAsText("batchId")).contains("list-1", "list-2");
        assertThat(listed.getBody()).doesNotContain("xxxx");

        assertThat(queries.toSend("list-2")).get().satisfies(b -> assertThat(b.body()).isEqualTo(body));
    }

    private void insert(String batchId, String state) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        jdbc.update("INSERT INTO province_batch (batch_id, state, body, body_sha256, body_size, record_count,"
                        + " first_seq, last_seq, created_at, attempts, next_attempt_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                batchId, state, body, Payloads.sha256(body), body.length, 1, 1, 1, now, 0, now);
    }
}
