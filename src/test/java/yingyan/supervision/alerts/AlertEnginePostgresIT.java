package yingyan.supervision.alerts;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import yingyan.testsupport.Services;

/**
 * {@link AlertEngineTest} on PostgreSQL: V14, the unique live-alert index and its CHECK, the follower's
 * transaction and the jobs as production runs them.
 */
class AlertEnginePostgresIT extends AlertEngineTest {
    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry r) {
        String url = Services.freshPostgresDatabase("yingyan_it");
        r.add("spring.datasource.url", () -> url);
        r.add("spring.datasource.username", Services::pgUser);
        r.add("spring.datasource.password", () -> "");
    }
}
