package yingyan.adapters.publicfunds;

import com.rabbitmq.client.AuthenticationFailureException;
import org.apache.camel.component.springrabbit.DefaultListenerContainerFactory;
import org.apache.camel.component.springrabbit.SpringRabbitMQComponent;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;
import org.apache.camel.spi.ComponentCustomizer;
import org.springframework.amqp.rabbit.config.RetryInterceptorBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.support.ListenerExecutionFailedException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.retry.interceptor.RetryOperationsInterceptor;
import org.springframework.util.backoff.ExponentialBackOff;
import yingyan.canonical.ResidentIds;
import yingyan.spi.AdapterMonitor;

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

    /**
     * The listener container as the treasury's broker needs it: a refused credential or an unreachable broker is
     * not fatal (Spring AMQP's default stops the container, and at start-up takes the whole hub down with it); the
     * container tries again after a pause that doubles from {@code backoff-initial} to {@code backoff-max}, while
     * {@link #publicFundsConnectionFactory} shows the adapter DOWN with the broker's answer.
     */
    @Bean
    ComponentCustomizer publicFundsContainers(PublicFundsProperties props) {
        return ComponentCustomizer.builder(SpringRabbitMQComponent.class).build(component ->
                component.setListenerContainerFactory(new DefaultListenerContainerFactory() {
                    @Override
                    public AbstractMessageListenerContainer createListenerContainer(
                            SpringRabbitMQEndpoint endpoint) {
                        AbstractMessageListenerContainer c = super.createListenerContainer(endpoint);
                        c.setPossibleAuthenticationFailureFatal(false);
                        ExponentialBackOff backOff = new ExponentialBackOff(props.backoffInitial().toMillis(), 2);
                        backOff.setMaxInterval(props.backoffMax().toMillis());
                        c.setRecoveryBackOff(backOff);
                        return c;
                    }
                }));
    }

    @Bean(CONNECTION_FACTORY)
    CachingConnectionFactory publicFundsConnectionFactory(PublicFundsProperties props, AdapterMonitor monitor) {
        // Opens no connection until the route starts: a hub whose adapter is disabled never dials the broker.
        CachingConnectionFactory f = new CachingConnectionFactory();
        f.setAddresses(props.addresses());
        f.setUsername(props.username());
        f.setPassword(props.password());
        f.setVirtualHost(props.virtualHost());
        f.setConnectionNameStrategy(cf -> "yingyan-hub " + PublicFundsProperties.ADAPTER_ID);
        AdapterMonitor.AdapterState state = monitor.state(PublicFundsProperties.ADAPTER_ID);
        f.addConnectionListener(new ConnectionListener() {
            @Override
            public void onCreate(Connection connection) {
                if (state.failing() && state.lastError() != null && state.lastError().startsWith(BROKER_FAILURE)) {
                    state.succeeded(0, 0); // the broker answers again; a failure of the hub's own side stays shown
                }
            }

            @Override
            public void onFailed(Exception e) {
                state.failed(brokerFailure(props, e));
            }
        });
        return f;
    }

    static final String BROKER_FAILURE = "the treasury's RabbitMQ";

    /** What health and the board say when the connection fails: the broker's answer and what to check. */
    static String brokerFailure(PublicFundsProperties props, Exception e) {
        String answer = e.getClass().getSimpleName() + ": " + ResidentIds.maskAll(String.valueOf(e.getMessage()));
        String check = e instanceof AuthenticationFailureException
                ? "the broker refused the hub's credential: check hub.adapters.public-funds.username and password"
                        + " (YINGYAN_PUBLIC_FUNDS_USER, YINGYAN_PUBLIC_FUNDS_PASSWORD) and the virtual host's permissions"
                : "check that the broker runs and hub.adapters.public-funds.addresses (YINGYAN_PUBLIC_FUNDS_ADDRESSES)";
        return BROKER_FAILURE + " at " + props.addresses() + " answered " + answer + "; " + check
                + ". Nothing is consumed meanwhile; the connection is tried again after a pause that doubles up to "
                + props.backoffMax() + ".";
    }
}
