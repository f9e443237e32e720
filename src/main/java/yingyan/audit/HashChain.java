package yingyan.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * The one definition of how a chained entry's hash is formed, used by the writers (RecordStore, AuditLog)
 * and by the verifier alike: {@code sha256(prev ‖ field₁ ‖ … ‖ fieldₙ)}, each part written as its UTF-8
 * length and bytes, so that no two different field lists can produce the same input.
 */
public final class HashChain {
    /** The hash before the first entry of a chain. */
    public static final String GENESIS = "0".repeat(64);

    private HashChain() {
    }

    /** The hash of an entry whose predecessor's hash is {@code prev}; null fields hash as absent. */
    public static String link(String prev, Object... fields) {
        MessageDigest d = sha256();
        part(d, prev);
        for (Object f : fields) {
            part(d, f == null ? null : text(f));
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /** The chain hash of one applied version (record_version); the fields in the order they are hashed. */
    public static String version(String prev, long seq, String recordId, String domain, String regionCode,
                                 String adapter, String sourceKey, OffsetDateTime updatedAt, String payloadSha256,
                                 OffsetDateTime fetchedAt, OffsetDateTime appliedAt, boolean conflict, String body) {
        return versionOfBody(prev, seq, recordId, domain, regionCode, adapter, sourceKey, updatedAt, payloadSha256,
                fetchedAt, appliedAt, conflict, sha256Hex(body));
    }

    /**
     * {@link #version} for a body already hashed ({@link #sha256Hex}): the verifier tries one row against
     * several candidate predecessors and seqs, and hashes its body once.
     */
    public static String versionOfBody(String prev, long seq, String recordId, String domain, String regionCode,
                                       String adapter, String sourceKey, OffsetDateTime updatedAt,
                                       String payloadSha256, OffsetDateTime fetchedAt, OffsetDateTime appliedAt,
                                       boolean conflict, String bodySha256) {
        return link(prev, seq, recordId, domain, regionCode, adapter, sourceKey, updatedAt, payloadSha256, fetchedAt,
                appliedAt, conflict, bodySha256);
    }

    /** The chain hash of one operator action (audit_log). */
    public static String action(String prev, long seq, OffsetDateTime at, String actor, String action, String target,
                                String outcome) {
        return link(prev, seq, at, actor, action, target, outcome);
    }

    /** SHA-256 of a text as UTF-8, hex: a stored body enters the chain by its hash. */
    public static String sha256Hex(String s) {
        return HexFormat.of().formatHex(sha256().digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * A time as the database keeps it: microseconds, as an instant. Writers store this same value, so
     * a hash computed before the insert matches one recomputed from what is read back.
     */
    public static OffsetDateTime stored(OffsetDateTime t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
    }

    private static String text(Object f) {
        if (f instanceof OffsetDateTime t) {
            return stored(t).toInstant().toString();
        }
        return f.toString();
    }

    private static void part(MessageDigest d, String s) {
        if (s == null) {
            d.update(new byte[]{(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        d.update(new byte[]{(byte) (b.length >>> 24), (byte) (b.length >>> 16), (byte) (b.length >>> 8), (byte) b.length});
        d.update(b);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
