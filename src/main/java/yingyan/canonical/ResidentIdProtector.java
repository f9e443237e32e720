package yingyan.canonical;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a clear resident ID into {@link ProtectedId} at the adapter edge: the same person gets the
 * same hash in every department (HMAC-SHA256 with the hub's secret key), the clear number goes no further.
 */
public final class ResidentIdProtector {
    private final SecretKeySpec key;

    public ResidentIdProtector(String secret) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("the resident-ID HMAC key must be at least 16 characters");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /**
     * Validates and protects a resident ID.
     *
     * @throws InvalidSourceException with the masked value when the number is not valid
     */
    public ProtectedId protect(String field, String rawId, boolean legacy) {
        String id = ResidentIds.normalise(field, rawId, legacy);
        return new ProtectedId(ResidentIds.mask(id), hmac(id));
    }

    private String hmac(String id) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(id.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
