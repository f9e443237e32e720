package yingyan.retention;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import yingyan.testsupport.Services;

/** {@link RetentionTest} on PostgreSQL: V12 and retention's chunked statements as production runs them. */
class RetentionPostgresIT extends RetentionTest {
    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry r) {
        String url = Services.freshPostgresDatabase("yingyan_it");
        r.add("spring.datasource.url", () -> url);
        r.add("spring.datasource.username", Services::pgUser);
        r.add("spring.datasource.password", () -> "");
    }
}
