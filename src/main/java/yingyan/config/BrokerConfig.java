package yingyan.config;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
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
 * (the distribution's default already has DLQ; see docs/production.md).
 */
@Configuration(proxyBeanMethods = false)
public class BrokerConfig {

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
                    .setAutoCreateDeadLetterResources(false)
                    .setMaxDeliveryAttempts(s.getMaxDeliveryAttempts())
                    .setRedeliveryDelay(s.getRedeliveryDelayMs())
                    .setRedeliveryMultiplier(2.0)
                    .setMaxRedeliveryDelay(s.getMaxRedeliveryDelayMs());
            configuration.addAddressSetting("#", settings);
            // One anycast queue named as the address, as a standalone broker's default broker.xml has it, so
            // the console lists, and moves back from, the same queue on both. The letters themselves are never
            // dead-lettered again nor dropped, however often an operator's move is rolled back.
            configuration.addAddressSetting(s.getDeadLetterAddress(), new AddressSettings()
                    .setAutoCreateDeadLetterResources(false).setMaxDeliveryAttempts(-1));
            configuration.addQueueConfiguration(QueueConfiguration.of(s.getDeadLetterAddress())
                    .setAddress(s.getDeadLetterAddress()).setRoutingType(RoutingType.ANYCAST).setDurable(true));
            configuration.setJournalSyncTransactional(true);
            configuration.setJournalSyncNonTransactional(true);
        };
    }

    /** {@code hub.broker.*}: dead-lettering and redelivery of the embedded broker. */
    public static class BrokerSettings {
        /** Where the embedded broker puts a message after its last delivery attempt (one anycast queue). */
        private String deadLetterAddress = "DLQ";
        /** Delivery attempts of a message before the embedded broker dead-letters it. */
        private int maxDeliveryAttempts = 10;
        /** The embedded broker's first redelivery delay, in milliseconds (doubling after each attempt). */
        private long redeliveryDelayMs = 1000;
        /** The longest redelivery delay of the embedded broker, in milliseconds. */
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
