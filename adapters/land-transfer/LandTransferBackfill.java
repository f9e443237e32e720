package yingyan.adapters.landtransfer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import yingyan.spi.DoneFolderBackfill;

/**
 * Backfill of land-transfer: the exports archived in the local drop folder's {@code done/} since the
 * given time are read again through {@link LandTransferFiles}, as if dropped anew but without the
 * processed-file check. Re-read Transfers already stored are counted duplicates.
 */
@Component
class LandTransferBackfill extends DoneFolderBackfill {
    private static final Pattern EXPORT = Pattern.compile(LandTransferProperties.FILE_PATTERN);

    private final LandTransferFiles files;

    LandTransferBackfill(LandTransferProperties props, LandTransferFiles files) {
        super(LandTransferProperties.ADAPTER_ID, Path.of(props.dropDir()), n -> EXPORT.matcher(n).matches());
        this.files = files;
    }

    @Override
    protected void reread(Path file) throws IOException {
        files.process(file, file.getFileName().toString(), null, true);
    }
}
