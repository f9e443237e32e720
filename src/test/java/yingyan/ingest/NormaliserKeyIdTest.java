package yingyan.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.Domain;
import yingyan.canonical.Party;
import yingyan.canonical.ResidentIdProtector;
import yingyan.config.HubProperties;
import yingyan.feed.FeedFixtures;
import yingyan.spi.MappingContext;
import yingyan.spi.SourceItem;
import yingyan.spi.SourceMapper;

/**
 * The configured ID key id reaches the records: a hub on key id 1 writes today's bare hashes, a hub rotated to
 * key id 2 writes {@code k2:} hashes, and both pass validation on their way to the store.
 */
class NormaliserKeyIdTest {
    static final String KEY = "normaliser-test-hmac-key-0123456789";
    static final String CLEAR = "11010519491231002X";

    /** A mapper whose record is a person identified by the item's raw text (a resident ID). */
    static final SourceMapper PERSON = new SourceMapper() {
        @Override
        public String adapterId() {
            return "fixture";
        }

        @Override
        public CanonicalRecord map(SourceItem item, MappingContext context) {
            CanonicalRecord r = FeedFixtures.rec("fixture", item.sourceKey(), 1, "370783", Domain.APPROVAL);
            Party person = Party.person("张三", context.protectId("idNo",
                    new String(item.raw(), StandardCharsets.US_ASCII), false));
            return new CanonicalRecord(r.schemaVersion(), r.recordId(), r.domain(), r.regionCode(), r.department(),
                    r.matter(), person, r.amounts(), r.timeline(), r.limits(), r.status(), r.source());
        }
    };

    private static String idHash(int keyId) {
        Normaliser n = new Normaliser(new MapperRegistry(List.of(PERSON)), null,
                new HubProperties("370700", null, new HubProperties.PersonalData(KEY, keyId), null, null, null));
        SourceItem item = SourceItem.utf8("fixture", "K-1", CLEAR.getBytes(StandardCharsets.US_ASCII), "test", null);
        return n.mapOne(item).party().idHash();
    }

    @Test
    void theConfiguredKeyIdIsTheOneInTheRecordsHashes() {
        assertThat(idHash(1)).isEqualTo(new ResidentIdProtector(KEY).protect("idNo", CLEAR, false).hash())
                .matches("[0-9a-f]{64}");
        assertThat(idHash(2)).isEqualTo("k2:" + idHash(1));
    }
}
