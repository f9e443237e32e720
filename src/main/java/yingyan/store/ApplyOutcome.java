package yingyan.store;

/** What one batch came to under the version rules. */
public record ApplyOutcome(int applied, int duplicates, int stale, int conflicts) {
    public ApplyOutcome plus(ApplyOutcome o) {
        return new ApplyOutcome(applied + o.applied, duplicates + o.duplicates, stale + o.stale, conflicts + o.conflicts);
    }

    public int total() {
        return applied + duplicates + stale;
    }
}
