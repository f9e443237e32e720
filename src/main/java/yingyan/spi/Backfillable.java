package yingyan.spi;

import java.time.OffsetDateTime;

/**
 * An adapter's ability to read its source again from a point in time ({@code POST
 * /api/v1/adapters/{id}/backfill?since=}, {@code yingyan backfill}). Re-reading is harmless by the
 * version rules: what is already stored comes back as counted duplicates, never as second copies. Every
 * chunk a backfill reads goes through {@link IngestGateway#submit} on the thread that runs
 * {@link Run#readToEnd}, which is how the backfill counts what it read.
 *
 * <p>Timer-polled adapters get it from {@link PollingSource} by overriding its {@code rewindTo}; an
 * adapter without it answers "backfill is not supported by this adapter".
 */
public interface Backfillable {
    /** The adapter this belongs to. */
    String adapterId();

    /**
     * Prepares a re-read from {@code since}: checks that a time makes sense for this source and moves the
     * adapter's read position back to it (never forward: a position not yet past {@code since} stays, so
     * nothing is skipped). Nothing is read yet.
     *
     * @throws Refused when this source cannot be re-read from a time; the message says why
     */
    Run rewind(OffsetDateTime since);

    /** One prepared backfill. */
    interface Run {
        /** Where reading starts: {@code since}, or the adapter's earlier position when it had not passed it. */
        OffsetDateTime from();

        /**
         * Reads until caught up with the source, on the calling thread. Throws when the source fails; the
         * adapter's position then stays where the last durably queued chunk left it (its own polls go on
         * from there).
         */
        void readToEnd();

        /** How far reading has come, as a time of the source (change time, file time); null if not known yet. */
        OffsetDateTime position();

        /** Files (or other units) to read in all, or -1 when the source is read by position only. */
        default int unitsTotal() {
            return -1;
        }

        /** Units read so far. */
        default int unitsDone() {
            return 0;
        }
    }

    /** This source cannot be re-read from that time; the message says why in words an operator can act on. */
    class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }
}
