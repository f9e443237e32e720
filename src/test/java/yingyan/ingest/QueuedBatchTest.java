package yingyan.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.CanonicalTime;
import yingyan.canonical.Department;
import yingyan.canonical.Domain;
import yingyan.canonical.Matter;
import yingyan.canonical.Party;
import yingyan.canonical.SourceLineage;
import yingyan.canonical.Status;
import yingyan.canonical.Step;
import yingyan.spi.Payloads;
import yingyan.store.NewVersion;

/**
 * The ingest queue's message: what persist reads back is exactly what was normalised (the body byte for byte
 * as canonical JSON, times to the nanosecond with their offsets), a page of records stays an ordinary broker
 * message, and a message that is not a batch is refused with a reason rather than misread.
 */
class QueuedBatchTest {
    /** Artemis' default min-large-message-size: a message at or above it is streamed as a "large message". */
    private static final int ARTEMIS_LARGE_MESSAGE = 100 * 1024;

    @Test
    void readsBackEveryFieldAndTheCanonicalJsonExactly() throws IOException {
        List<CanonicalRecord> records = List.of(
                rec("K-1", "2026-03-01T10:00:00.123456789+08:00", "某公司", "2026-03-01T10:00:01.5Z"),
                rec(null, "2026-03-01T10:00:00-05:30", "名称含\t制表符和 \"引号\" 与 emoji 😀", null));

        List<NewVersion> back = QueuedBatch.decode(QueuedBatch.encode(records));

        assertThat(back).hasSize(2);
        for (int i = 0; i < records.size(); i++) {
            CanonicalRecord r = records.get(i);
            NewVersion v = back.get(i);
            assertThat(v).isEqualTo(NewVersion.of(r));
            assertThat(v.body()).isEqualTo(CanonicalJson.write(r));
            assertThat(v.updatedAt().getOffset()).isEqualTo(r.source().updatedAt().getOffset());
        }
        assertThat(back.get(0).updatedAt().getNano()).isEqualTo(123_456_789);
        assertThat(back.get(1).key()).isNull();
        assertThat(back.get(1).fetchedAt()).isNull();
    }

    @Test
    void aFullPageIsAnOrdinaryBrokerMessageNotALargeOne() throws IOException {
        List<CanonicalRecord> page = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            page.add(rec("CASE-" + i, "2026-03-01T10:00:00+08:00", "寿光市某某置业有限公司第" + i + "分公司", null));
        }
        int json = CanonicalJson.write(page).getBytes(StandardCharsets.UTF_8).length;

        byte[] message = QueuedBatch.encode(page);

        assertThat(json).isGreaterThan(ARTEMIS_LARGE_MESSAGE);
        assertThat(message.length).isLessThan(ARTEMIS_LARGE_MESSAGE);
        assertThat(QueuedBatch.decode(message)).hasSize(1000);
    }

    @Test
    void aBodyLargerThanAMegabyteTravelsWhole() throws IOException {
        String name = "大".repeat(600_000); // 1.8 MB of UTF-8 in one field
        CanonicalRecord big = rec("BIG", "2026-03-01T10:00:00+08:00", name, null);

        NewVersion back = QueuedBatch.decode(QueuedBatch.encode(List.of(big))).get(0);

        assertThat(back.body()).isEqualTo(CanonicalJson.write(big));
    }

    @Test
    void aJsonArrayQueuedBeforeThisFormatIsStillRead() throws IOException {
        CanonicalRecord r = rec("OLD-1", "2026-03-01T10:00:00+08:00", "某公司", "2026-03-01T10:00:01+08:00");
        byte[] legacy = CanonicalJson.write(List.of(r)).getBytes(StandardCharsets.UTF_8);

        assertThat(QueuedBatch.decode(legacy)).containsExactly(NewVersion.of(r));
    }

    @Test
    void aMessageThatIsNotABatchIsRefusedWithAReason() {
        assertThatThrownBy(() -> QueuedBatch.decode("this is not a batch".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class).hasMessageContaining("not a queued batch");
        byte[] whole = QueuedBatch.encode(List.of(rec("K", "2026-03-01T10:00:00+08:00", "某公司", null)));
        byte[] cut = Arrays.copyOf(whole, whole.length / 2);
        assertThatThrownBy(() -> QueuedBatch.decode(cut)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a queued batch");
    }

    private static CanonicalRecord rec(String key, String updatedAt, String partyName, String fetchedAt) {
        OffsetDateTime at = OffsetDateTime.parse(updatedAt);
        return CanonicalRecord.builder()
                .domain(Domain.APPROVAL).regionCode("370783")
                .department(new Department("FIXTURE", "测试部门", false))
                .matter(new Matter("M-1", "测试事项"))
                .party(Party.org(partyName, "91350100M000100Y43"))
                .status(Status.OPEN)
                .step(Step.RECEIVED, at.withOffsetSameInstant(CanonicalTime.BEIJING), null)
                .source(new SourceLineage("fixture", key, at, fetchedAt == null ? null : OffsetDateTime.parse(fetchedAt),
                        Payloads.sha256((key + "#" + updatedAt).getBytes(StandardCharsets.UTF_8))))
                .build();
    }
}
