package yingyan.adapters.housingfund;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.CanonicalTime;
import yingyan.canonical.InvalidSourceException;
import yingyan.ingest.Normaliser;
import yingyan.spi.SourceItem;

/** Mapping details the golden cases do not pin: release from the raw bytes alone, and malformed raw items. */
class HousingFundMapperTest {
    private final Normaliser normaliser = HousingFundFixtures.normaliser();

    @Test
    void theRawBytesAloneMapToTheSameRecordAsOnRelease() {
        SourceItem polled = item(row("TQ-R1", "12000.50"));
        CanonicalRecord first = normaliser.mapOne(polled);
        // What QuarantineService.release builds: adapter, key, stored bytes and origin, a new fetch time.
        SourceItem released = new SourceItem(HousingFundMapper.ADAPTER_ID, polled.sourceKey(), polled.raw().clone(),
                StandardCharsets.UTF_8, polled.origin(), OffsetDateTime.now(ZoneOffset.UTC).plusDays(3));
        CanonicalRecord again = normaliser.mapOne(released);
        assertThat(again.recordId()).isEqualTo("housing-fund:TQ-TQ-R1");
        assertThat(again.source().payloadSha256()).isEqualTo(first.source().payloadSha256());
        assertThat(again.source().updatedAt()).isEqualTo(first.source().updatedAt());
        assertThat(again.party()).isEqualTo(first.party());
        assertThat(again.amounts()).isEqualTo(first.amounts());
        assertThat(again.timeline()).isEqualTo(first.timeline());
    }

    @Test
    void anyChangedColumnChangesThePayloadHashAndTheSameContentKeepsIt() {
        String a = normaliser.mapOne(item(row("TQ-H", "1.00"))).source().payloadSha256();
        String same = normaliser.mapOne(item(row("TQ-H", "1.00"))).source().payloadSha256();
        Map<String, String> changed = row("TQ-H", "1.00");
        changed.put("SPR", "某人");
        assertThat(same).isEqualTo(a);
        assertThat(normaliser.mapOne(item(changed)).source().payloadSha256()).isNotEqualTo(a);
    }

    @Test
    void anAmountWithMoreThanTwoSignificantFractionDigitsIsRefusedNeverRounded() {
        assertThatThrownBy(() -> normaliser.mapOne(item(row("TQ-A", "12.345"))))
                .isInstanceOf(InvalidSourceException.class).hasMessageContaining("GJJ_TQ.TQJE = '12.345'")
                .hasMessageContaining("more than 2 fraction digits");
        assertThat(normaliser.mapOne(item(row("TQ-B", "12.3400"))).amounts().get(0).value()).isEqualTo("12.34");
    }

    @Test
    void everyBrokenColumnOfARowIsNamedInOneReason() {
        Map<String, String> r = row("TQ-M", "1.00");
        r.put("XZQH", "999999");
        r.put("ZT", "7");
        r.put("SQSJ", "2026-02-30 09:00:00");
        assertThatThrownBy(() -> normaliser.mapOne(item(r))).isInstanceOf(InvalidSourceException.class)
                .hasMessageContaining("GJJ_TQ.XZQH = '999999'").hasMessageContaining("GJJ_TQ.ZT = '7'")
                .hasMessageContaining("GJJ_TQ.SQSJ = '2026-02-30 09:00:00'");
    }

    @Test
    void anItemThatIsNotARowOfEitherTableIsRefusedWithWhatItIs() {
        SourceItem other = SourceItem.utf8(HousingFundMapper.ADAPTER_ID, "X-1",
                "{\"row\":{},\"table\":\"GJJ_XX\"}".getBytes(StandardCharsets.UTF_8), "test", OffsetDateTime.now());
        assertThatThrownBy(() -> normaliser.mapOne(other)).hasMessageContaining("table = 'GJJ_XX'");
        SourceItem garbage = SourceItem.utf8(HousingFundMapper.ADAPTER_ID, "X-2",
                "not json".getBytes(StandardCharsets.UTF_8), "test", OffsetDateTime.now());
        assertThatThrownBy(() -> normaliser.mapOne(garbage)).isInstanceOf(InvalidSourceException.class);
    }

    private static Map<String, String> row(String key, String amount) {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("TQBH", key);
        r.put("ZGXM", "某职工");
        r.put("SFZH", "370702198503150010");
        r.put("TQLX", "02");
        r.put("TQJE", amount);
        r.put("SQSJ", "2026-03-02 10:01:12");
        r.put("SPR", null);
        r.put("SPSJ", null);
        r.put("ZFSJ", null);
        r.put("ZT", "0");
        r.put("XZQH", "370783");
        r.put("GXSJ", "2026-03-05 15:30:00");
        return r;
    }

    private static SourceItem item(Map<String, String> columns) {
        return SourceDatabase.item(new SourceDatabase.Row(SourceTable.GJJ_TQ, columns),
                OffsetDateTime.now(CanonicalTime.BEIJING));
    }
}
