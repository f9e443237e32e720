package yingyan.province;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import yingyan.testsupport.Services;

/**
 * {@link ProvinceAlertPushTest} on PostgreSQL: V17 and the alert ledger's statements (the position's row lock, the
 * array-named filing shared with the record push) as production runs them. The SQL is the same on both databases;
 * this holds that it behaves the same.
 */
class ProvinceAlertPushPostgresIT extends ProvinceAlertPushTest {
    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry r) {
        String url = Services.freshPostgresDatabase("yingyan_it");
        r.add("spring.datasource.url", () -> url);
        r.add("spring.datasource.username", Services::pgUser);
        r.add("spring.datasource.password", () -> "");
    }
}
