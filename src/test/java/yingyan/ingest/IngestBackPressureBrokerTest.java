package yingyan.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import yingyan.spi.IngestGateway;
import yingyan.spi.IngestOutcome;

/** Through the real route and broker: the id travels with the message, and persist stopped holds ingest back. */
@SpringBootTest(properties = {"hub.persist.max-queued-batches=2", "hub.persist.max-back-pressure-wait=150s"})
@ActiveProfiles("test")
@Import(FixtureMapper.Config.class)
class IngestBackPressureBrokerTest {
    @Autowired
    IngestGateway gateway;
    @Autowired
    IngestBackPressure pressure;
    @Autowired
    CamelContext camel;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theThirdBatchIsHeldUntilPersistStoresOne_andEveryStoredBatchIsForgotten() throws Exception {
        camel.getRouteController().stopRoute("persist");
        gateway.submit(List.of(FixtureMapper.item("BP-1", "2026-03-01 10:00:00", "1.00")));
        CompletableFuture<IngestOutcome> second = CompletableFuture.supplyAsync(() ->
                gateway.submit(List.of(FixtureMapper.item("BP-2", "2026-03-01 10:00:00", "1.00"))));
        // Two queued and none stored: the second submit is queued but does not return (no room for a third).
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> !second.isDone());
        assertThat(pressure.outstanding()).isEqualTo(2);

        camel.getRouteController().startRoute("persist");

        // The restarted consumer stores a batch within a second or so, loaded machine or not. It once never did on
        // CI (the submit waited out the whole back-pressure wait): stopping the route interrupted the consumer while
        // it released Spring's cached shared connection, which then stayed stopped; persist.yaml's
        // acceptMessagesWhileStopping keeps that interrupt from happening. 150 s of back-pressure wait against a
        // 30 s bound: a submit that returns did not merely time out.
        await("the held submit returns once persist stores a batch").atMost(Duration.ofSeconds(30)).until(second::isDone);
        assertThat(second.get().queued()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> pressure.outstanding() == 0);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM record WHERE record_id IN ('fixture:BP-1',"
                + " 'fixture:BP-2')", Integer.class)).isEqualTo(2);
    }
}
