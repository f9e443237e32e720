package yingyan.spi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Backfill of a file-drop adapter: the exports it archived in its local {@code done/} folder whose
 * modification time is at or after {@code since} are read again, one at a time in name order (the order
 * the department exported them), bypassing the processed-file check that normally keeps a file from
 * being read twice. The files stay in {@code done/}. Files archived on an SFTP drop box stay there and are
 * not re-read (the hub keeps no copy of them). An adapter's backfill is a {@code @Component} subclass that
 * names its folder, its export name pattern and how it reads a file again.
 */
public abstract class DoneFolderBackfill implements Backfillable {
    /** Reads one archived file again through the adapter's own processing; throws when it cannot be queued. */
    @FunctionalInterface
    public interface Reread {
        void reread(Path file) throws IOException;
    }

    private final String adapterId;
    private final Path done;
    private final Pattern names;
    private final Reread reread;

    /**
     * @param dropDir     the adapter's local drop folder (its {@code done/} is read)
     * @param namePattern a regular expression an archived file's whole name must match
     */
    protected DoneFolderBackfill(String adapterId, Path dropDir, String namePattern, Reread reread) {
        this.adapterId = adapterId;
        this.done = dropDir.toAbsolutePath().normalize().resolve("done");
        this.names = Pattern.compile(namePattern);
        this.reread = reread;
    }

    @Override
    public String adapterId() {
        return adapterId;
    }

    @Override
    public Run rewind(OffsetDateTime since) {
        List<Path> files = archivedSince(since);
        return new Run() {
            private volatile int done;
            private volatile OffsetDateTime position;

            @Override
            public OffsetDateTime from() {
                return since;
            }

            @Override
            public void readToEnd() {
                for (Path f : files) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new IllegalStateException("the backfill was stopped (the hub is shutting down) after "
                                + done + " of " + files.size() + " files");
                    }
                    try {
                        reread.reread(f);
                    } catch (IOException e) {
                        throw new UncheckedIOException(f.getFileName() + " could not be read again: " + e.getMessage(), e);
                    }
                    position = modified(f);
                    done++;
                }
            }

            @Override
            public OffsetDateTime position() {
                return position;
            }

            @Override
            public int unitsTotal() {
                return files.size();
            }

            @Override
            public int unitsDone() {
                return done;
            }
        };
    }

    private List<Path> archivedSince(OffsetDateTime since) {
        try (Stream<Path> all = Files.list(done)) {
            return all.filter(Files::isRegularFile)
                    .filter(f -> names.matcher(f.getFileName().toString()).matches())
                    .filter(f -> !modified(f).isBefore(since))
                    .sorted(Comparator.comparing(f -> f.getFileName().toString()))
                    .toList();
        } catch (NoSuchFileException nothingArchivedYet) {
            return List.of();
        } catch (IOException e) {
            throw new Refused("cannot list " + done + ": " + e.getMessage());
        }
    }

    private static OffsetDateTime modified(Path f) {
        try {
            return Files.getLastModifiedTime(f).toInstant().atOffset(ZoneOffset.UTC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
