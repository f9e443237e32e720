package yingyan.adapters.hubfeed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import yingyan.canonical.CanonicalJson;
import yingyan.spi.JsonPages;
import yingyan.testsupport.GoldenReader;

/**
 * The golden cases' input.json is a feed page as the other hub answers it, read as {@link HubFeedSource}
 * reads one: the page through {@link JsonPages}, each item through {@link HubFeedSource#item}.
 */
class HubFeedGoldenReader implements GoldenReader {

    @Override
    public void read(Path caseDir, OffsetDateTime fetchedAt, Sink sink) throws Exception {
        JsonPages.Page page = JsonPages.read(Files.readAllBytes(caseDir.resolve("input.json")), "items",
                CanonicalJson.mapper());
        List<JsonPages.Item> items = page.items();
        if (items == null) {
            throw new AssertionError(caseDir + "/input.json must be a feed page with items");
        }
        for (int i = 0; i < items.size(); i++) {
            sink.item(HubFeedSource.item(items.get(i), "golden item " + (i + 1), fetchedAt));
        }
    }
}
