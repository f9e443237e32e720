package yingyan.adapters.publicfunds;

import org.springframework.amqp.rabbit.config.RetryInterceptorBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.support.ListenerExecutionFailedException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.retry.interceptor.RetryOperationsInterceptor;

/** The connection to the treasury's RabbitMQ (AMQP 0-9-1), from {@code hub.adapters.public-funds.*}. */
@Configuration(proxyBeanMethods = false)
class PublicFundsBroker {
    static final String CONNECTION_FACTORY = "publicFundsConnectionFactory";
    static final String NO_RETRY = "publicFundsNoRetry";

    /**
     * What the listener container does with a failed delivery: no retry in place, and the failure thrown back so
     * the container rejects the message with requeue. (Camel's own default, a stateless retry whose recoverer only
     * logs, would ack, that is drop, the message after its last attempt.)
     */
    @Bean(NO_RETRY)
    RetryOperationsInterceptor publicFundsNoRetry() {
        return RetryInterceptorBuilder.stateless().maxAttempts(1).recoverer((message, cause) -> {
            throw new ListenerExecutionFailedException("requeued for a later delivery", cause, message);
        }).build();
    }

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
