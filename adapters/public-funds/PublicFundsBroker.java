package yingyan.adapters.publicfunds;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The connection to the treasury's RabbitMQ (AMQP 0-9-1), from {@code hub.adapters.public-funds.*}. */
@Configuration(proxyBeanMethods = false)
class PublicFundsBroker {
    static final String CONNECTION_FACTORY = "publicFundsConnectionFactory";

    @Bean(CONNECTION_FACTORY)
    CachingConnectionFactory publicFundsConnectionFactory(PublicFundsProperties props) {
        // Opens no connection until the route starts: a hub whose adapter is disabled never dials the broker.
        CachingConnectionFactory f = new CachingConnectionFactory();
        f.setAddresses(props.addresses());
        f.setUsername(props.username());
        f.setPassword(props.password());
        f.setVirtualHost(props.virtualHost());
        f.setConnectionNameStrategy(cf -> "yingyan-hub " + PublicFundsProperties.ADAPTER_ID);
        return f;
    }
}
