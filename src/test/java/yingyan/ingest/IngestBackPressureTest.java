package yingyan.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import yingyan.audit.ChainFixtures;

/**
 * Back-pressure: an adapter's submit returns only while fewer than max-queued-batches of its hub's batches wait
 * in the queue unstored, so the next page is read when persist has room; and it only ever delays: a persist
 * that is away holds an adapter for at most max-back-pressure-wait per batch. In a cluster a batch may be stored
 * by another node's persist: it counts as stored on the node that queued it all the same.
 */
class IngestBackPressureTest {

    @Test
    void aSubmitWaitsForRoomAndGoesOnWhenABatchIsStored() {
        IngestBackPressure pressure = new IngestBackPressure(2, Duration.ofMinutes(1));
        String first = pressure.queued();
        pressure.queued();
        AtomicBoolean stored = new AtomicBoolean();

        CompletableFuture<Duration> waiting = CompletableFuture.supplyAsync(pressure::awaitRoom);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());
        stored.set(true);
        pressure.stored(first);

        await().atMost(Duration.ofSeconds(5)).until(waiting::isDone);
        assertThat(stored).isTrue();
        assertThat(pressure.outstanding()).isEqualTo(1);
    }

    @Test
    void aBatchNeverStoredHoldsNobodyLongerThanTheMaximumWait() {
        IngestBackPressure pressure = new IngestBackPressure(1, Duration.ofMillis(300));
        pressure.queued(); // e.g. dead-lettered: persist never reports it

        Duration waited = pressure.awaitRoom();

        assertThat(waited).isBetween(Duration.ofMillis(250), Duration.ofSeconds(5));
        assertThat(pressure.outstanding()).isZero();
        assertThat(pressure.awaitRoom()).isLessThan(Duration.ofMillis(250)); // and it counts no more
    }

    @Test
    void aBatchThatWasNotQueuedDoesNotCount() {
        IngestBackPressure pressure = new IngestBackPressure(1, Duration.ofMinutes(1));
        pressure.notQueued(pressure.queued());
        assertThat(pressure.awaitRoom()).isLessThan(Duration.ofMillis(250));
    }

    @Test
    void aBatchStoredByAnotherNodeFreesTheRoomOfTheNodeThatQueuedIt() {
        ChainFixtures db = ChainFixtures.h2(); // the hub's migrations: the marks table both nodes see
        IngestBackPressure a = new IngestBackPressure(2, Duration.ofMinutes(1), db.jdbc);
        IngestBackPressure b = new IngestBackPressure(2, Duration.ofMinutes(1), db.jdbc);
        String first = a.queued();
        String second = a.queued();

        CompletableFuture<Duration> waiting = CompletableFuture.supplyAsync(a::awaitRoom);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());
        b.stored(first); // node b's persist stored node a's batch

        await().atMost(Duration.ofSeconds(5)).until(waiting::isDone);
        assertThat(a.outstanding()).isEqualTo(1);
        // a claimed the mark; a batch a stores itself leaves none
        assertThat(db.jdbc.queryForObject("SELECT COUNT(*) FROM ingest_batch_stored", Integer.class)).isZero();
        a.stored(second);
        assertThat(a.outstanding()).isZero();
        assertThat(db.jdbc.queryForObject("SELECT COUNT(*) FROM ingest_batch_stored", Integer.class)).isZero();
        assertThat(b.outstanding()).isZero();
    }

    @Test
    void aBatchStoredTwiceIsMarkedOnce() {
        ChainFixtures db = ChainFixtures.h2();
        IngestBackPressure b = new IngestBackPressure(2, Duration.ofMinutes(1), db.jdbc);
        b.stored("4d1f0b8e-0000-4000-8000-000000000001"); // a redelivered batch of another node, stored again
        b.stored("4d1f0b8e-0000-4000-8000-000000000001");
        assertThat(db.jdbc.queryForObject("SELECT COUNT(*) FROM ingest_batch_stored", Integer.class)).isEqualTo(1);
    }
}
