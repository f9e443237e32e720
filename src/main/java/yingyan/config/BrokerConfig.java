package yingyan.config;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded broker's dead-lettering: without a dead-letter address Artemis deletes a message after
 * its last delivery attempt, so every address gets {@code DLQ}, redelivery with backoff, and a bounded
 * number of attempts. A standalone broker needs the same address-settings in its broker.xml
 * (the distribution's default already has DLQ; see README).
 */
@Configuration(proxyBeanMethods = false)
class BrokerConfig {

    @Bean
    @ConfigurationProperties("hub.broker")
    BrokerSettings brokerSettings() {
        return new BrokerSettings();
    }

    @Bean
    ArtemisConfigurationCustomizer deadLetterCustomizer(BrokerSettings s) {
        return configuration -> {
            AddressSettings settings = new AddressSettings()
                    .setDeadLetterAddress(SimpleString.of(s.getDeadLetterAddress()))
                    .setAutoCreateDeadLetterResources(true)
                    .setMaxDeliveryAttempts(s.getMaxDeliveryAttempts())
                    .setRedeliveryDelay(s.getRedeliveryDelayMs())
                    .setRedeliveryMultiplier(2.0)
                    .setMaxRedeliveryDelay(s.getMaxRedeliveryDelayMs());
            configuration.addAddressSetting("#", settings);
            configuration.setJournalSyncTransactional(true);
            configuration.setJournalSyncNonTransactional(true);
        };
    }

    /** {@code hub.broker.*}: dead-lettering and redelivery of the embedded broker. */
    static class BrokerSettings {
        private String deadLetterAddress = "DLQ";
        private int maxDeliveryAttempts = 10;
        private long redeliveryDelayMs = 1000;
        private long maxRedeliveryDelayMs = 60000;

        public String getDeadLetterAddress() { return deadLetterAddress; }
        public void setDeadLetterAddress(String v) { deadLetterAddress = v; }
        public int getMaxDeliveryAttempts() { return maxDeliveryAttempts; }
        public void setMaxDeliveryAttempts(int v) { maxDeliveryAttempts = v; }
        public long getRedeliveryDelayMs() { return redeliveryDelayMs; }
        public void setRedeliveryDelayMs(long v) { redeliveryDelayMs = v; }
        public long getMaxRedeliveryDelayMs() { return maxRedeliveryDelayMs; }
        public void setMaxRedeliveryDelayMs(long v) { maxRedeliveryDelayMs = v; }
    }
}
