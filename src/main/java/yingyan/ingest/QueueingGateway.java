package yingyan.ingest;

import java.util.List;
import java.util.function.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;
import yingyan.spi.Backfillable;
import yingyan.spi.IngestGateway;
import yingyan.spi.IngestOutcome;
import yingyan.spi.SourceItem;

/**
 * The {@link IngestGateway} of the hub: through the {@code ingest} route (normalise → validate → persistent
 * queue). It returns only once the good records are durably queued and the bad ones are in quarantine, and
 * only when persist has room for the adapter's next batch ({@link IngestBackPressure}).
 */
@Component
public class QueueingGateway implements IngestGateway {
    private final ProducerTemplate producer;
    private final IngestBackPressure backPressure;

    public QueueingGateway(ProducerTemplate producer, IngestBackPressure backPressure) {
        this.producer = producer;
        this.backPressure = backPressure;
    }

    /** What a backfill running on this thread is told of every chunk it queues (see {@link Backfillable}). */
    private static final ThreadLocal<Consumer<IngestOutcome>> OBSERVER = new ThreadLocal<>();

    @Override
    public IngestOutcome submit(List<SourceItem> items) {
        IngestOutcome outcome = queue(items);
        Consumer<IngestOutcome> observer = OBSERVER.get();
        if (observer != null) {
            observer.accept(outcome);
        }
        return outcome;
    }

    /** Runs {@code body} on this thread, telling {@code observer} the outcome of every chunk it submits. */
    public static void observed(Consumer<IngestOutcome> observer, Runnable body) {
        OBSERVER.set(observer);
        try {
            body.run();
        } finally {
            OBSERVER.remove();
        }
    }

    private IngestOutcome queue(List<SourceItem> items) {
        if (items.isEmpty()) {
            return IngestOutcome.empty();
        }
        String batch = backPressure.queued();
        Exchange done = producer.send("direct:ingest", e -> {
            e.getIn().setBody(items);
            e.getIn().setHeader(IngestBackPressure.HEADER, batch);
        });
        IngestOutcome outcome = done.getProperty(Normaliser.OUTCOME, IngestOutcome.class);
        if (done.getException() != null || outcome == null || outcome.queued() == 0) {
            backPressure.notQueued(batch); // nothing of it is waiting in the queue
        }
        if (done.getException() != null) {
            throw new IngestException("could not queue " + items.size() + " items of "
                    + items.get(0).adapterId() + ": " + done.getException().getMessage(), done.getException());
        }
        if (outcome == null) {
            throw new IngestException("the ingest route returned no outcome", null);
        }
        // The adapter reads on (its next page, chunk or row) only when persist has room for it.
        backPressure.awaitRoom();
        return outcome;
    }
}
