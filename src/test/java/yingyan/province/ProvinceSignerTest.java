package yingyan.province;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** X-Signature against known bodies and secrets, computed independently of the sender. */
class ProvinceSignerTest {

    @Test
    void rfc4231Vector() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        assertThat(ProvinceSigner.sign("what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII), "Jefe"))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void hexHmacSha256OfTheExactBodyBytes() throws Exception {
        String secret = "test-province-secret-0123456789";
        byte[] body = "{\"batchId\":\"370700-b1\",\"region\":\"370700\",\"records\":[{\"recordId\":\"fixture:测试\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal(body));

        assertThat(ProvinceSigner.sign(body, secret)).isEqualTo(expected).hasSize(64).matches("[0-9a-f]+");
        assertThat(ProvinceSigner.matches(body, secret, expected)).isTrue();
        byte[] oneByteMore = java.util.Arrays.copyOf(body, body.length + 1);
        oneByteMore[body.length] = ' ';
        assertThat(ProvinceSigner.sign(oneByteMore, secret)).isNotEqualTo(expected);
        assertThat(ProvinceSigner.matches(body, secret + "x", expected)).isFalse();
    }
}
