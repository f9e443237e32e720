package yingyan.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Grants become one SQL condition with its parameters, run here on H2 (PostgreSQL mode, as the hub's) against
 * rows of every kind: a region grant, a department grant (system and code together), both at once, a row with
 * no department, and the condition negated (as the alert query uses it: "no record outside the grants").
 */
class GrantsTest {
    private JdbcTemplate jdbc;

    @BeforeEach
    void rows() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:grants-" + System.nanoTime() + ";MODE=PostgreSQL;DB_CLOSE_DELAY=-1");
        jdbc = new JdbcTemplate(ds);
        jdbc.execute("CREATE TABLE t (id VARCHAR(10), region_code CHAR(6), adapter VARCHAR(64), department_code"
                + " VARCHAR(64))");
        jdbc.update("INSERT INTO t VALUES ('sg-app', '370783', 'approvals', 'SGZRZY'),"
                + " ('sg-pro', '370783', 'procurement', 'CGZX'), ('wc-app', '370702', 'approvals', 'WCZRZY'),"
                + " ('wc-sg', '370702', 'approvals', 'SGZRZY'), ('sg-none', '370783', 'approvals', NULL),"
                + " ('pro-sg', '370783', 'procurement', 'SGZRZY')");
    }

    private List<String> visible(Grants g) {
        Grants.Sql w = g.where("region_code", "adapter", "department_code");
        return jdbc.queryForList("SELECT id FROM t WHERE " + w.condition() + " ORDER BY id", String.class,
                w.args().toArray());
    }

    private List<String> hidden(Grants g) {
        Grants.Sql w = g.where("region_code", "adapter", "department_code");
        return jdbc.queryForList("SELECT id FROM t WHERE NOT " + w.condition() + " ORDER BY id", String.class,
                w.args().toArray());
    }

    @Test
    void noGrantsSeeEverythingAndAreNotLimited() {
        assertThat(Grants.ALL.limited()).isFalse();
        assertThat(Grants.of(List.of("*"), List.of()).limited()).isFalse();
        assertThat(Grants.ALL.where("r", "s", "d")).isEqualTo(new Grants.Sql("1 = 1", List.of()));
        assertThat(visible(Grants.ALL)).hasSize(6);
    }

    @Test
    void aRegionGrantSeesThatRegionOnly() {
        Grants g = Grants.of(List.of("370783"), List.of("*"));
        assertThat(g.limited()).isTrue();
        assertThat(visible(g)).containsExactly("pro-sg", "sg-app", "sg-none", "sg-pro");
        assertThat(hidden(g)).containsExactly("wc-app", "wc-sg");
    }

    @Test
    void aDepartmentGrantNeedsTheSystemAndTheCode_aRowWithoutDepartmentIsOutside_evenNegated() {
        Grants g = Grants.of(null, List.of("approvals:SGZRZY"));
        // procurement's SGZRZY is another system's department; the row without a department is nobody's.
        assertThat(visible(g)).containsExactly("sg-app", "wc-sg");
        assertThat(hidden(g)).containsExactly("pro-sg", "sg-none", "sg-pro", "wc-app");
    }

    @Test
    void regionAndDepartmentGrantsMustBothHold_andSeveralValuesOfEachAreAnyOf() {
        assertThat(visible(Grants.of(List.of("370783"), List.of("approvals:SGZRZY")))).containsExactly("sg-app");
        assertThat(visible(Grants.of(List.of("370783", "370702"), List.of("approvals:WCZRZY", "procurement:CGZX"))))
                .containsExactly("sg-pro", "wc-app");
    }

    @Test
    void parametersComeInTheOrderOfTheirMarks() {
        Grants.Sql w = Grants.of(List.of("370783"), List.of("approvals:SGZRZY")).where("a.r", "a.s", "a.d");
        assertThat(w.condition()).isEqualTo("(COALESCE(a.r, '') IN (?) AND ((COALESCE(a.s, '') = ? AND"
                + " COALESCE(a.d, '') = ?)))");
        assertThat(w.args()).containsExactly("370783", "approvals", "SGZRZY");
        assertThat(Grants.of(List.of("370783"), List.of()).covers("370783", "x", "Y")).isTrue();
        assertThat(Grants.of(null, List.of("approvals:SGZRZY")).covers("370702", "approvals", "SGZRZY")).isTrue();
        assertThat(Grants.of(null, List.of("approvals:SGZRZY")).covers("370702", "procurement", "SGZRZY")).isFalse();
    }

    @Test
    void aDepartmentGrantWithoutItsSystemIsRefused() {
        assertThatThrownBy(() -> Grants.of(null, new ArrayList<>(List.of("SGZRZY"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("system:code");
    }
}
