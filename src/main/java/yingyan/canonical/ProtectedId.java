package yingyan.canonical;

/**
 * A resident ID in the only forms the hub keeps: masked (6 + 8 stars + 4) and an HMAC-SHA256 hex hash, which
 * names its key id unless it is 1 ({@link ResidentIdProtector}).
 */
public record ProtectedId(String masked, String hash) {
    @Override
    public String toString() {
        return masked;
    }
}
