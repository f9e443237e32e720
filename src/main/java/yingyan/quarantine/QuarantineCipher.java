package yingyan.quarantine;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.util.SecretBytes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Map;
import java.util.TreeMap;
import yingyan.config.HubProperties;

/**
 * AES-256-GCM for quarantined raw payloads, as a Tink keyset: every ciphertext starts with Tink's prefix
 * (version byte 1, then the key id, big-endian), so the key can be rotated and each entry is decrypted with
 * the key that sealed it. Keys are configured secrets ({@code hub.quarantine}), each made an AES key by
 * SHA-256 as before key ids. Ciphertext stored before key ids (IV, ciphertext, tag; no prefix) is Tink's
 * {@code NO_PREFIX} format of key id 1, kept readable as such.
 */
final class QuarantineCipher {
    private static final byte TINK_PREFIX_VERSION = 1;
    private static final int TINK_PREFIX_BYTES = 5;
    /** The keyset entry of key 1 without prefix; any id no configured key can have (ids are positive). */
    private static final int LEGACY_ENTRY_ID = 0;

    static {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Aead aead;
    private final int currentKeyId;
    private final Map<Integer, String> keys = new TreeMap<>();

    QuarantineCipher(HubProperties.Quarantine config) {
        if (config.keyId() < 1) {
            throw new IllegalArgumentException("hub.quarantine.key-id must be 1 or more, not " + config.keyId());
        }
        if (config.previousKeys().containsKey(config.keyId())) {
            throw new IllegalArgumentException("key id " + config.keyId() + " is both hub.quarantine.key-id and one"
                    + " of hub.quarantine.previous-keys");
        }
        this.currentKeyId = config.keyId();
        keys.putAll(config.previousKeys());
        keys.put(currentKeyId, config.key());
        try {
            KeysetHandle.Builder keyset = KeysetHandle.newBuilder();
            for (Map.Entry<Integer, String> k : keys.entrySet()) {
                if (k.getKey() < 1) {
                    throw new IllegalArgumentException("hub.quarantine.previous-keys: key id " + k.getKey()
                            + " is not 1 or more");
                }
                KeysetHandle.Builder.Entry entry = KeysetHandle.importKey(key(k.getValue(),
                        AesGcmParameters.Variant.TINK, k.getKey())).withFixedId(k.getKey());
                keyset.addEntry(k.getKey() == currentKeyId ? entry.makePrimary() : entry);
            }
            if (keys.containsKey(1)) {
                keyset.addEntry(KeysetHandle.importKey(key(keys.get(1), AesGcmParameters.Variant.NO_PREFIX, null))
                        .withFixedId(LEGACY_ENTRY_ID));
            }
            this.aead = keyset.build().getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the quarantine keyset", e);
        }
    }

    private static AesGcmKey key(String secret, AesGcmParameters.Variant variant, Integer id)
            throws GeneralSecurityException {
        byte[] bytes = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        return AesGcmKey.builder()
                .setParameters(AesGcmParameters.builder().setKeySizeBytes(32).setIvSizeBytes(12).setTagSizeBytes(16)
                        .setVariant(variant).build())
                .setKeyBytes(SecretBytes.copyFrom(bytes, InsecureSecretKeyAccess.get()))
                .setIdRequirement(id)
                .build();
    }

    /** The id new ciphertexts carry. */
    int currentKeyId() {
        return currentKeyId;
    }

    byte[] encrypt(byte[] plain) {
        try {
            return aead.encrypt(plain, new byte[0]);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt quarantined payload", e);
        }
    }

    byte[] decrypt(byte[] stored) {
        try {
            return aead.decrypt(stored, new byte[0]);
        } catch (GeneralSecurityException e) {
            int id = keyIdOf(stored);
            throw new IllegalStateException("cannot decrypt quarantined payload sealed with key id " + id
                    + (keys.containsKey(id) ? ": wrong key for that id?"
                    : ", which is neither hub.quarantine.key-id nor one of hub.quarantine.previous-keys"), e);
        }
    }

    /** The key id a stored ciphertext names: Tink's prefix, or 1 for ciphertext from before key ids. */
    static int keyIdOf(byte[] stored) {
        // A pre-key-id ciphertext begins with a random IV: 1 in 2^8 of them looks prefixed; it still decrypts
        // (Tink tries the prefix's key, then the unprefixed ones), only this label could be wrong.
        if (stored.length > TINK_PREFIX_BYTES && stored[0] == TINK_PREFIX_VERSION) {
            return ByteBuffer.wrap(stored, 1, 4).getInt();
        }
        return 1;
    }
}
