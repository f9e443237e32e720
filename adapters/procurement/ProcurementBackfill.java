package yingyan.adapters.procurement;

import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import yingyan.spi.DoneFolderBackfill;

/**
 * Backfill of procurement: the exports archived in the local drop folder's {@code done/} (named
 * {@code cgjg_<hour>.<processed at>.csv}) since the given time are read again through
 * {@link ProcurementFileProcessor}, without the processed-file check. Re-read rows already stored are
 * counted duplicates.
 */
@Component
class ProcurementBackfill extends DoneFolderBackfill {
    private static final Pattern ARCHIVED = Pattern.compile(ProcurementRoute.INCLUDE);

    private final ProcurementFileProcessor processor;

    ProcurementBackfill(ProcurementProperties props, ProcurementFileProcessor processor) {
        super(ProcurementProperties.ADAPTER_ID, Path.of(props.dropDir()), n -> ARCHIVED.matcher(n).matches());
        this.processor = processor;
    }

    @Override
    protected void reread(Path file) throws IOException {
        processor.reread(file);
    }
}
