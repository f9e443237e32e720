package yingyan.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The listing helpers the audit, quarantine and records endpoints share. */
class ListPageTest {

    @Test
    void limitDefaultsTo100AndRefusesOutside1To1000() {
        assertThat(ListPage.limit(null)).isEqualTo(100);
        assertThat(ListPage.limit(1)).isEqualTo(1);
        assertThat(ListPage.limit(1000)).isEqualTo(1000);
        for (int bad : new int[] {0, 1001, -5}) {
            assertThatThrownBy(() -> ListPage.limit(bad)).isInstanceOf(BadRequestException.class)
                    .hasMessage("limit must be between 1 and 1000")
                    .satisfies(e -> assertThat(((BadRequestException) e).field()).isEqualTo("limit"));
        }
    }

    @Test
    void theJsonAnswerWrapsItemsAlreadyWrittenAndANullNextIsNull() {
        assertThat(ListPage.json(List.of("{\"a\":1}", "{\"b\":2}"), s -> s, "v1:9"))
                .isEqualTo("{\"items\":[{\"a\":1},{\"b\":2}],\"next\":\"v1:9\"}");
        assertThat(ListPage.json(List.<String>of(), s -> s, null)).isEqualTo("{\"items\":[],\"next\":null}");
    }

    @Test
    void theMapAnswerHoldsItemsThenNextAndKeepsANullNext() {
        assertThat(ListPage.answer(List.of(1, 2), "v1:9")).containsExactly(
                entry("items", List.of(1, 2)),
                entry("next", "v1:9"));
        assertThat(ListPage.answer(List.of(), null)).containsKey("next").containsEntry("next", null);
    }

    @Test
    void aPageCutFromOneRowMoreCarriesTheLastShownPositionAsCursor() {
        ListPage<Long> more = ListPage.of(List.of(9L, 8L, 7L), 2, Long::longValue);
        assertThat(more.items()).containsExactly(9L, 8L);
        assertThat(more.more()).isTrue();
        assertThat(Cursors.decode(more.next())).isEqualTo(8L);

        ListPage<Long> last = ListPage.of(List.of(9L, 8L), 2, Long::longValue);
        assertThat(last.items()).containsExactly(9L, 8L);
        assertThat(last.next()).isNull();
        assertThat(last.more()).isFalse();
        assertThat(Cursors.decodeOrNull(null)).isNull();
    }

    @Test
    void theQuerySkipsNullFiltersAndPagesBackwardsOnItsKey() {
        ListQuery first = new ListQuery("SELECT * FROM t").and("a = ?", "x").and("b = ?", null).page("seq", null, 11);
        assertThat(first.sql()).isEqualTo("SELECT * FROM t WHERE 1 = 1 AND a = ? ORDER BY seq DESC LIMIT ?");
        assertThat(first.args()).containsExactly("x", 11);

        ListQuery next = new ListQuery("SELECT * FROM t").and("a = ?", null).page("seq", 42L, 11);
        assertThat(next.sql()).isEqualTo("SELECT * FROM t WHERE 1 = 1 AND seq < ? ORDER BY seq DESC LIMIT ?");
        assertThat(next.args()).containsExactly(42L, 11);
    }
}
