package yingyan.adapters.publicfunds;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import yingyan.spi.SourceItem;

/**
 * The payload hash of a treasury message is taken over its JSON with keys sorted (public-funds.md, "Mapping"): a
 * payment republished after a failover with its keys in another order or other whitespace is the same version; a
 * changed value, or an amount written differently, is not.
 */
class PublicFundsMessagesTest {
    private static final OffsetDateTime AT = OffsetDateTime.parse("2026-03-01T15:31:00+08:00");

    private static SourceItem item(String body) {
        return PublicFundsMessages.item(body.getBytes(StandardCharsets.UTF_8), "queue test", AT);
    }

    @Test
    void keyOrderAndWhitespaceDoNotChangeTheStableFormButAValueDoes() {
        SourceItem first = item("{\"payNo\":\"ZF1\",\"amount\":\"356000.00\",\"payee\":{\"type\":\"ORG\",\"name\":\"某\"}}");
        SourceItem republished = item("{ \"payee\": {\"name\": \"某\", \"type\": \"ORG\"},\n  \"amount\": \"356000.00\","
                + " \"payNo\": \"ZF1\" }");
        SourceItem changed = item("{\"payNo\":\"ZF1\",\"amount\":\"356000.01\",\"payee\":{\"type\":\"ORG\",\"name\":\"某\"}}");

        assertThat(republished.sourceKey()).isEqualTo("ZF1");
        assertThat(republished.text()).isEqualTo(first.text())
                .isEqualTo("{\"amount\":\"356000.00\",\"payNo\":\"ZF1\",\"payee\":{\"name\":\"某\",\"type\":\"ORG\"}}");
        assertThat(changed.text()).isNotEqualTo(first.text());
    }

    @Test
    void aBodyThatIsNoJsonObjectIsCarriedAsReceivedWithoutAKey() {
        SourceItem broken = item("{\"payNo\": \"ZF2\", ");
        assertThat(broken.sourceKey()).isNull();
        assertThat(broken.text()).isEqualTo("{\"payNo\": \"ZF2\", ");
    }
}
