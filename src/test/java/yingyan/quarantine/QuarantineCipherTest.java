package yingyan.quarantine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import yingyan.config.HubProperties;

/**
 * Quarantine ciphertext names its key, so the key can be rotated: a new key (with a new id) encrypts from
 * then on, entries encrypted before — in today's format too — stay readable with the retired key kept as a
 * previous key, and an entry whose key is gone fails naming the key id it needs.
 */
class QuarantineCipherTest {
    static final String KEY_1 = "first-quarantine-key-0123456789";
    static final String KEY_2 = "second-quarantine-key-9876543210";
    static final byte[] RAW = "{\"certNo\":\"11010519491231002X\"}".getBytes(StandardCharsets.UTF_8);

    /** What the hub stored before key ids: IV, then AES-256-GCM of SHA-256(secret), no key id. */
    static byte[] beforeKeyIds(String secret, byte[] plain) throws Exception {
        byte[] iv = new byte[12];
        new SecureRandom().nextBytes(iv);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(MessageDigest.getInstance("SHA-256")
                .digest(secret.getBytes(StandardCharsets.UTF_8)), "AES"), new GCMParameterSpec(128, iv));
        byte[] sealed = c.doFinal(plain);
        return ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
    }

    static QuarantineCipher cipher(int keyId, String key, Map<Integer, String> previous) {
        return new QuarantineCipher(new HubProperties.Quarantine(key, keyId, previous));
    }

    @Test
    void eachCiphertextCarriesTheIdOfTheKeyThatSealedIt() {
        QuarantineCipher first = cipher(1, KEY_1, Map.of());
        QuarantineCipher second = cipher(2, KEY_2, Map.of(1, KEY_1));

        assertThat(QuarantineCipher.keyIdOf(first.encrypt(RAW))).isEqualTo(1);
        assertThat(QuarantineCipher.keyIdOf(second.encrypt(RAW))).isEqualTo(2);
        assertThat(first.currentKeyId()).isEqualTo(1);
        assertThat(second.currentKeyId()).isEqualTo(2);
    }

    @Test
    void afterRotationEverythingSealedBeforeStaysReadable() throws Exception {
        byte[] legacy = beforeKeyIds(KEY_1, RAW);
        byte[] sealedWithKey1 = cipher(1, KEY_1, Map.of()).encrypt(RAW);

        QuarantineCipher rotated = cipher(2, KEY_2, Map.of(1, KEY_1));
        assertThat(rotated.decrypt(legacy)).isEqualTo(RAW);
        assertThat(rotated.decrypt(sealedWithKey1)).isEqualTo(RAW);
        assertThat(rotated.decrypt(rotated.encrypt(RAW))).isEqualTo(RAW);
        // and the hub as it runs today (key 1, no previous keys) reads what it stored before key ids
        assertThat(cipher(1, KEY_1, Map.of()).decrypt(legacy)).isEqualTo(RAW);
    }

    @Test
    void aCiphertextWhoseKeyIsNotConfiguredFailsNamingTheKeyIdItNeeds() {
        byte[] sealedWithKey2 = cipher(2, KEY_2, Map.of(1, KEY_1)).encrypt(RAW);

        assertThatThrownBy(() -> cipher(3, "third-quarantine-key-0123456789", Map.of(1, KEY_1)).decrypt(sealedWithKey2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("key id 2").hasMessageContaining("hub.quarantine.previous-keys");
    }

    @Test
    void keyIdsAreCheckedAtStart() {
        assertThatThrownBy(() -> cipher(0, KEY_1, Map.of())).hasMessageContaining("hub.quarantine.key-id");
        assertThatThrownBy(() -> cipher(2, KEY_2, Map.of(2, KEY_1))).hasMessageContaining("key id 2");
    }
}
