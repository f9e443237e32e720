package yingyan.adapters.landtransfer;

import java.nio.file.Path;
import org.springframework.stereotype.Component;
import yingyan.spi.DoneFolderBackfill;

/**
 * Backfill of land-transfer: the exports archived in the local drop folder's {@code done/} since the
 * given time are read again through {@link LandTransferFiles}, as if dropped anew but without the
 * processed-file check. Re-read Transfers already stored are counted duplicates.
 */
@Component
class LandTransferBackfill extends DoneFolderBackfill {
    LandTransferBackfill(LandTransferProperties props, LandTransferFiles files) {
        super(LandTransferProperties.ADAPTER_ID, Path.of(props.dropDir()), LandTransferProperties.FILE_PATTERN,
                file -> files.process(file, file.getFileName().toString(), null, true));
    }
}
