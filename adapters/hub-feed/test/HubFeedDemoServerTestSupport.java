package yingyan.adapters.hubfeed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** How many items the demo county serves (every sample page's items). */
final class HubFeedDemoServerTestSupport {
    private HubFeedDemoServerTestSupport() {
    }

    static int items() {
        try {
            return HubFeedDemoServer.load(Path.of("test-data", HubFeedProperties.ADAPTER_ID)).size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
