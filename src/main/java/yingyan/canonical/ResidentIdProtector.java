package yingyan.canonical;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a clear resident ID into {@link ProtectedId} at the adapter edge: the same person gets the
 * same hash in every department (HMAC-SHA256 with the hub's secret key), the clear number goes no further.
 *
 * <p>Each hash names its key: key id 1, the key canonical v1 was released with, writes bare lower-case hex
 * (every record stored before key ids stays byte-identical); any other key id writes {@code k<id>:<hex>}. So
 * hashes of different keys never compare equal, and a rotation of the key (made on every hub at once) shows
 * in every record. Plain JDK HMAC rather than Tink: one key is in use at a time (the hub never recomputes a
 * hash of a retired key), and the id must read in the record's text, which Tink's binary prefix does not.
 */
public final class ResidentIdProtector {
    /** What {@link #hash} writes: an optional key id (never 1), then 64 hex digits. */
    public static final Pattern HASH = Pattern.compile("(?:k([2-9]|[1-9][0-9]{1,8}):)?[0-9a-f]{64}");

    private final int keyId;
    private final SecretKeySpec key;

    /** Key id 1. */
    public ResidentIdProtector(String secret) {
        this(1, secret);
    }

    public ResidentIdProtector(int keyId, String secret) {
        if (keyId < 1) {
            throw new IllegalArgumentException("hub.personal-data.hmac-key-id must be 1 or more, not " + keyId);
        }
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("the resident-ID HMAC key must be at least 16 characters");
        }
        this.keyId = keyId;
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /**
     * Validates and protects a resident ID.
     *
     * @throws InvalidSourceException with the masked value when the number is not valid
     */
    public ProtectedId protect(String field, String rawId, boolean legacy) {
        String id = ResidentIds.normalise(field, rawId, legacy);
        return new ProtectedId(ResidentIds.mask(id), hash(id));
    }

    /** The key id a hash was made with (1 for bare hex). */
    public static int keyIdOf(String hash) {
        Matcher m = HASH.matcher(hash);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a resident-ID hash");
        }
        return m.group(1) == null ? 1 : Integer.parseInt(m.group(1));
    }

    private String hash(String id) {
        String hex = hmac(id);
        return keyId == 1 ? hex : "k" + keyId + ":" + hex;
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
