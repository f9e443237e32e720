package yingyan.adapters.hubfeed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The hub-feed adapter's test data. */
final class HubFeedFixtures {
    /** The adapter's test cases, which the quick start's demo county also serves. */
    static final Path CASES = Path.of("test-data", HubFeedProperties.ADAPTER_ID);

    private HubFeedFixtures() {
    }

    /** How many items the demo county serves (every sample page's items). */
    static int items() {
        try {
            return HubFeedDemoServer.load(CASES).size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
