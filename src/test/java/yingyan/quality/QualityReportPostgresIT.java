package yingyan.quality;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import yingyan.testsupport.Services;

/** {@link QualityReportTest} on PostgreSQL: V16, PERCENTILE_CONT and the completeness SQL as production runs them. */
class QualityReportPostgresIT extends QualityReportTest {
    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry r) {
        String url = Services.freshPostgresDatabase("yingyan_it");
        r.add("spring.datasource.url", () -> url);
        r.add("spring.datasource.username", Services::pgUser);
        r.add("spring.datasource.password", () -> "");
    }
}
