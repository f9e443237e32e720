package yingyan.adapters.archfixture;

import yingyan.store.WatermarkStore;

/** Not an adapter: what {@code ArchitectureTest} must refuse, an adapter class that takes the store past the SPI. */
class ReachesIntoStore {
    private final WatermarkStore watermarks;

    ReachesIntoStore(WatermarkStore watermarks) {
        this.watermarks = watermarks;
    }

    String position() {
        return watermarks.get("arch-fixture").orElse("");
    }
}
