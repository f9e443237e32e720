package yingyan.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** The shared filters answer exactly as each listing answered before they were one helper. */
class QueryParamsTest {

    @Test
    void anAbsentFilterFiltersNothing() {
        assertThat(QueryParams.domain(null)).isNull();
        assertThat(QueryParams.regionCode(null)).isNull();
        assertThat(QueryParams.time("from", null, "x")).isNull();
        assertThat(QueryParams.time("from", "  ", "x")).isNull();
    }

    @Test
    void goodValuesComeBackChecked() {
        assertThat(QueryParams.domain("APPROVAL")).isEqualTo("APPROVAL");
        assertThat(QueryParams.regionCode("370700")).isEqualTo("370700");
        assertThat(QueryParams.time("to", " 2026-03-17T00:00:00+08:00 ", "x"))
                .isEqualTo(OffsetDateTime.parse("2026-03-17T00:00:00+08:00"));
    }

    @Test
    void aWrongValueIsA400NamingTheParameter() {
        assertThatThrownBy(() -> QueryParams.domain("approval")).isInstanceOf(BadRequestException.class)
                .hasMessageStartingWith("unknown domain 'approval'; one of [");
        assertThatThrownBy(() -> QueryParams.regionCode("999999")).isInstanceOf(BadRequestException.class)
                .hasMessage("unknown region code '999999'")
                .satisfies(e -> assertThat(((BadRequestException) e).field()).isEqualTo("regionCode"));
        assertThatThrownBy(() -> QueryParams.time("from", "yesterday", "2026-11-28T09:00:00+08:00"))
                .isInstanceOf(BadRequestException.class)
                .hasMessage("from must be an ISO-8601 date-time with offset, e.g. 2026-11-28T09:00:00+08:00");
    }

    @Test
    void aCountIsItsDefaultWhenAbsentAnd1ToMaxOtherwise() {
        assertThat(QueryParams.count("months", null, 12, 36)).isEqualTo(12);
        assertThat(QueryParams.count("months", 1, 12, 36)).isEqualTo(1);
        assertThat(QueryParams.count("months", 36, 12, 36)).isEqualTo(36);
        for (int bad : new int[] {0, 37, -1}) {
            assertThatThrownBy(() -> QueryParams.count("months", bad, 12, 36)).isInstanceOf(BadRequestException.class)
                    .hasMessage("months must be between 1 and 36")
                    .satisfies(e -> assertThat(((BadRequestException) e).field()).isEqualTo("months"));
        }
    }
}
