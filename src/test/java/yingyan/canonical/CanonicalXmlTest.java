package yingyan.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import yingyan.testsupport.BadInputs;

/** The canonical record's XML reader: no DOCTYPE, no external entity, no entity expansion, nothing fetched. */
class CanonicalXmlTest {
    @Test
    void theCanonicalXmlReaderRefusesDoctypesExternalEntitiesAndEntityExpansion() throws IOException {
        AtomicInteger fetched = new AtomicInteger();
        HttpServer evil = BadInputs.serve("/", uri -> {
            fetched.incrementAndGet();
            return "<!ENTITY x 'pwned'>".getBytes(StandardCharsets.UTF_8);
        });
        Path secret = Files.createTempFile("secret", ".txt");
        Files.writeString(secret, "TOP-SECRET");
        try {
            String good = CanonicalXml.write(CanonicalFixtures.specExample());
            String body = good.substring(good.indexOf("<record"));
            String url = BadInputs.baseUrl(evil);
            List<String> attacks = List.of(
                    "<!DOCTYPE record [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>" + body.replace("寿光市", "&x;"),
                    "<!DOCTYPE record [<!ENTITY x SYSTEM \"" + url + "/x\">]>" + body.replace("寿光市", "&x;"),
                    "<!DOCTYPE record SYSTEM \"" + url + "/evil.dtd\">" + body,
                    "<!DOCTYPE record [<!ENTITY % p SYSTEM \"" + url + "/p.dtd\"> %p;]>" + body,
                    "<!DOCTYPE record [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                            + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>"
                            + body.replace("寿光市", "&d;"));
            for (String attack : attacks) {
                assertThatThrownBy(() -> CanonicalXml.read("<?xml version=\"1.0\"?>" + attack))
                        .as(attack.substring(0, 60)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("not a canonical v1 XML record").hasMessageNotContaining("TOP-SECRET");
            }
            assertThat(fetched).hasValue(0);
            assertThat(CanonicalXml.read(good).recordId()).isEqualTo(CanonicalFixtures.specExample().recordId());
        } finally {
            evil.stop(0);
            Files.deleteIfExists(secret);
        }
    }

}
