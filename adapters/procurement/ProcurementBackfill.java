package yingyan.adapters.procurement;

import java.nio.file.Path;
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
    ProcurementBackfill(ProcurementProperties props, ProcurementFileProcessor processor) {
        super(ProcurementProperties.ADAPTER_ID, Path.of(props.dropDir()), ProcurementRoute.INCLUDE, processor::reread);
    }
}
