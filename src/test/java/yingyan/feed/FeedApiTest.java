package yingyan.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalXml;
import yingyan.canonical.Domain;
import yingyan.store.RecordStore;
import yingyan.web.Cursors;

/**
 * The feed's HTTP contract: grants (a consumer never sees what it was not granted), the XML form valid
 * against the canonical XSD with the cursor in a header, cursors and limits checked, and the API
 * description served to anyone signed in.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class FeedApiTest {
    @Autowired
    RecordStore store;
    @Autowired
    JdbcTemplate jdbc;
    @LocalServerPort
    int port;

    @BeforeEach
    void records() {
        if (jdbc.queryForObject("SELECT COUNT(*) FROM record_version", Integer.class) > 0) {
            return;
        }
        store.apply(List.of(
                FeedFixtures.rec("SG-1", 1, "370783", Domain.APPROVAL),
                FeedFixtures.rec("SG-2", 1, "370783", Domain.HOUSING_FUND),
                FeedFixtures.rec("WF-1", 1, "370700", Domain.APPROVAL),
                FeedFixtures.rec("QZ-1", 1, "370781", Domain.APPROVAL)));
        store.apply(List.of(FeedFixtures.rec("SG-1", 2, "370783", Domain.APPROVAL),
                FeedFixtures.rec("SG-3", 1, "370783", Domain.APPROVAL)));
    }

    private FeedFixtures.Consumer consumer(String user, String password, int limit) {
        return new FeedFixtures.Consumer("http://127.0.0.1:" + port, user, password, limit);
    }

    private static List<String> ids(List<String> versions) {
        return versions.stream().map(v -> v.substring(0, v.indexOf('@'))).toList();
    }

    @Test
    void aConsumerWithEveryGrantReadsEveryVersionInAppliedOrderAndTheCursorStaysWhenNothingIsNew() throws Exception {
        FeedFixtures.Consumer c = consumer("province", "province-secret", 2);
        c.drain(null);
        assertThat(ids(c.seen)).containsExactly("fixture:SG-1", "fixture:SG-2", "fixture:WF-1", "fixture:QZ-1",
                "fixture:SG-1", "fixture:SG-3");
        String caughtUp = c.cursor;
        assertThat(c.page(null)).isZero();
        assertThat(c.cursor).as("an empty page hands back the same position").isEqualTo(caughtUp);

        store.apply(List.of(FeedFixtures.rec("WF-2", 1, "370700", Domain.APPROVAL)));
        assertThat(c.page(null)).isEqualTo(1);
        assertThat(ids(c.seen)).endsWith("fixture:WF-2");
    }

    @Test
    void aConsumerGrantedShouguangApprovalsNeverSeesAnythingElseEvenWithFilters() throws Exception {
        FeedFixtures.Consumer c = consumer("shouguang-approvals", "shouguang-secret", 1);
        c.drain(null);
        assertThat(ids(c.seen)).containsExactly("fixture:SG-1", "fixture:SG-1", "fixture:SG-3");

        FeedFixtures.Consumer filtered = consumer("shouguang-approvals", "shouguang-secret", 100);
        filtered.drain("regionCode=370783&domain=APPROVAL");
        assertThat(ids(filtered.seen)).containsExactly("fixture:SG-1", "fixture:SG-1", "fixture:SG-3");

        for (String outside : List.of("regionCode=370700", "domain=HOUSING_FUND", "regionCode=370783&domain=HOUSING_FUND")) {
            HttpResponse<String> r = consumer("shouguang-approvals", "shouguang-secret", 100)
                    .request(outside, "application/json");
            assertThat(r.statusCode()).as(outside).isEqualTo(403);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/problem+json"));
            JsonNode p = CanonicalJson.mapper().readTree(r.body());
            assertThat(p.get("detail").asText()).contains("shouguang-approvals").contains("not granted");
            assertThat(p.get("field").asText()).isIn("regionCode", "domain");
        }
    }

    @Test
    void onlyFeedConsumersReadTheFeed() throws Exception {
        assertThat(consumer("viewer", "viewer-secret", 10).request(null, "application/json").statusCode())
                .isEqualTo(403);
        assertThat(consumer("province", "wrong", 10).request(null, "application/json").statusCode())
                .isEqualTo(401);
        // A consumer is not a person: the records API stays closed to it.
        var http = java.net.http.HttpClient.newHttpClient();
        var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                        + "/api/v1/records")).header("Authorization", "Basic " + java.util.Base64.getEncoder()
                        .encodeToString("province:province-secret".getBytes())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(403);
    }

    @Test
    void badCursorsAndLimitsAreProblemsNamingTheField() throws Exception {
        FeedFixtures.Consumer c = consumer("province", "province-secret", 1001);
        HttpResponse<String> r = c.request(null, "application/json");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(CanonicalJson.mapper().readTree(r.body()).get("field").asText()).isEqualTo("limit");

        FeedFixtures.Consumer listing = consumer("province", "province-secret", 10);
        listing.cursor = Cursors.encode(3); // a /records cursor is not a feed position
        r = listing.request(null, "application/json");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(CanonicalJson.mapper().readTree(r.body()).get("field").asText()).isEqualTo("after");

        FeedFixtures.Consumer foreign = consumer("province", "province-secret", 10);
        foreign.cursor = Cursors.encodeFeed(1_000_000); // kept from another hub, or a replaced database
        r = foreign.request(null, "application/json");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(CanonicalJson.mapper().readTree(r.body()).get("detail").asText()).contains("never issued");
    }

    @Test
    void theXmlFormIsARecordsDocumentValidAgainstTheXsdWithTheCursorInAHeader() throws Exception {
        FeedFixtures.Consumer c = consumer("province", "province-secret", 4);
        HttpResponse<String> xml = c.request(null, "application/xml");
        assertThat(xml.statusCode()).isEqualTo(200);
        var schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(Path.of("schemas/canonical/v1/record.xsd").toFile());
        schema.newValidator().validate(new StreamSource(new StringReader(xml.body())));
        assertThat(xml.body()).contains("<records").contains("SG-2");
        assertThat(xml.body().split("<recordId>|:recordId>").length - 1).isGreaterThanOrEqualTo(4);

        HttpResponse<String> json = c.request(null, "application/json");
        String next = CanonicalJson.mapper().readTree(json.body()).get("next").asText();
        assertThat(xml.headers().firstValue(FeedController.NEXT_HEADER)).contains(next);
        assertThat(json.headers().firstValue(FeedController.NEXT_HEADER)).contains(next);
        // The same record as JSON and as XML.
        String firstJson = CanonicalJson.mapper().readTree(json.body()).get("items").get(0).toString();
        assertThat(CanonicalJson.read(firstJson).recordId()).isEqualTo("fixture:SG-1");
        assertThat(CanonicalXml.write(CanonicalJson.read(firstJson))).contains("fixture:SG-1");
    }

    @Test
    void theApiDescriptionIsServedToAnyoneSignedInAndNamesEveryPublicEndpoint() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var docs = java.net.URI.create("http://127.0.0.1:" + port + "/v3/api-docs");
        assertThat(http.send(java.net.http.HttpRequest.newBuilder(docs).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).as("anonymous").isEqualTo(401);
        // A feed consumer, integrating with the hub, reads it too.
        var r = http.send(java.net.http.HttpRequest.newBuilder(docs).header("Authorization", "Basic "
                + java.util.Base64.getEncoder().encodeToString("shouguang-approvals:shouguang-secret".getBytes()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode paths = CanonicalJson.mapper().readTree(r.body()).get("paths");
        assertThat(paths.has("/api/v1/feed")).isTrue();
        assertThat(paths.has("/api/v1/records")).isTrue();
        assertThat(paths.has("/api/v1/records/{recordId}")).isTrue();
        assertThat(paths.has("/api/v1/records/{recordId}/history")).isTrue();
        assertThat(paths.has("/api/v1/quarantine")).isTrue();
        assertThat(paths.has("/api/v1/quarantine/{id}/release")).isTrue();
        assertThat(paths.get("/api/v1/feed").get("get").get("parameters").toString())
                .contains("after").contains("limit").contains("domain").contains("regionCode");
    }
}
