package yingyan.province;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** {@code X-Signature}: lower-case hex HMAC-SHA256 of the exact body bytes with the shared secret. */
public final class ProvinceSigner {
    private ProvinceSigner() {
    }

    public static String sign(byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Constant-time comparison of a received signature with the expected one. */
    public static boolean matches(byte[] body, String secret, String signature) {
        if (signature == null) {
            return false;
        }
        return MessageDigest.isEqual(sign(body, secret).getBytes(StandardCharsets.US_ASCII),
                signature.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }
}
