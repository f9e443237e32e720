package yingyan.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every {@code hub.*} key explains itself in the configuration metadata the build generates from the
 * properties' Javadoc, so an IDE completes and explains conf/*.yaml (a key without a description is named).
 */
class ConfigurationMetadataTest {

    @Test
    void everyHubKeyHasADescription() throws IOException {
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("the generated configuration metadata").isNotNull();
            metadata = new ObjectMapper().readTree(in);
        }
        List<String> hubKeys = new ArrayList<>();
        List<String> undescribed = new ArrayList<>();
        for (JsonNode property : metadata.path("properties")) {
            String name = property.path("name").asText();
            if (!name.startsWith("hub.")) {
                continue;
            }
            hubKeys.add(name);
            if (property.path("description").asText("").isBlank()) {
                undescribed.add(name + " (" + property.path("sourceType").asText() + ")");
            }
        }
        assertThat(hubKeys).as("hub.* keys in the metadata").hasSizeGreaterThan(100);
        assertThat(undescribed).as("hub.* keys without a description").isEmpty();
    }
}
