package yingyan.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import yingyan.adapters.approvals.ApprovalsFixtures;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.RecordValidator;
import yingyan.canonical.ResidentIdProtector;
import yingyan.spi.MappingContext;
import yingyan.spi.SourceItem;
import yingyan.spi.SourceMapper;

/** The benchmark's generated backlog is what it claims: valid approvals items of ≈ 500 bytes, paged by the contract. */
class ApprovalsBacklogTest {
    private final ApprovalsBacklog backlog = new ApprovalsBacklog(42);

    @Test
    void everyGeneratedCaseMapsToAValidRecordOfAboutFiveHundredBytes() throws Exception {
        SourceMapper mapper = ApprovalsFixtures.mapper();
        MappingContext ctx = new MappingContext(new ResidentIdProtector("bench-hmac-key-0123456789"));
        JsonNode page = ApprovalsFixtures.read(backlog.page(null, 1, 500, 3000));
        assertThat(page.get("items")).hasSize(500);
        long bytes = 0;
        Set<String> states = new HashSet<>();
        Set<String> kinds = new HashSet<>();
        for (JsonNode item : page.get("items")) {
            byte[] raw = ApprovalsFixtures.stable(item);
            bytes += raw.length;
            CanonicalRecord r = mapper.map(SourceItem.utf8("approvals", item.get("caseNo").textValue(), raw, "p",
                    OffsetDateTime.now()), ctx);
            assertThat(RecordValidator.check(r)).as(item.toString()).isEmpty();
            states.add(r.status().name());
            kinds.add(r.party().type().name());
        }
        assertThat(bytes / 500).isBetween(400L, 650L);
        assertThat(states).contains("OPEN", "COMPLETED", "REJECTED", "CANCELLED");
        assertThat(kinds).containsExactlyInAnyOrder("ORG", "PERSON");
    }

    @Test
    void pagesFollowTheContractOrderAndUpdatedSinceIsInclusive() throws Exception {
        assertThat(backlog.page(null, 1, 10, 25)).isEqualTo(backlog.page(null, 1, 10, 25)); // seeded: same bytes
        JsonNode third = ApprovalsFixtures.read(backlog.page(null, 3, 10, 25));
        assertThat(third.get("total").asLong()).isEqualTo(25);
        assertThat(third.get("items")).hasSize(5);
        assertThat(third.get("items").get(0).get("caseNo").textValue()).isEqualTo(ApprovalsBacklog.caseNo(20));
        JsonNode since = ApprovalsFixtures.read(backlog.page(ApprovalsBacklog.updatedAt(7), 1, 3, 25));
        assertThat(since.get("total").asLong()).isEqualTo(18);
        assertThat(since.get("items").get(0).get("caseNo").textValue()).isEqualTo(ApprovalsBacklog.caseNo(7));
        assertThat(ApprovalsFixtures.read(backlog.page(null, 1, 10, 0)).get("items")).isEmpty();
    }
}
