package yingyan.adapters.publicfunds;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import yingyan.spi.SourceRouteBuilder;

/**
 * {@code public-funds-source}: one consumer of the treasury's durable queue (AMQP 0-9-1, Spring AMQP through
 * camel-spring-rabbitmq). The listener container acks a message when the route returns and puts it back
 * (requeued, unacked) when it throws: {@code rejectAndDontRequeue=false}, no in-place retry, no queue, exchange
 * or binding declared (the queue is the treasury's). One consumer and a small prefetch keep the queue's order.
 */
@Component
class PublicFundsRoute extends SourceRouteBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(PublicFundsRoute.class);
    static final String ROUTE_ID = PublicFundsProperties.ADAPTER_ID + "-source";

    private final PublicFundsProperties props;
    private final PublicFundsConsumer consumer;

    PublicFundsRoute(PublicFundsProperties props, PublicFundsConsumer consumer) {
        this.props = props;
        this.consumer = consumer;
    }

    @Override
    public void configure() {
        if (!props.enabled()) {
            LOG.warn("public-funds adapter DISABLED: no RabbitMQ configured (hub.adapters.public-funds.enabled=false)."
                    + " Set YINGYAN_PUBLIC_FUNDS_ENABLED=true and YINGYAN_PUBLIC_FUNDS_ADDRESSES to consume the"
                    + " treasury's queue {}.", props.queue());
        } else {
            LOG.info("public-funds adapter consumes queue {} at {}", props.queue(), props.addresses());
        }
        fromQueue("spring-rabbitmq:default?connectionFactory=#bean:" + PublicFundsBroker.CONNECTION_FACTORY
                        + "&queues={{hub.adapters.public-funds.queue}}&autoDeclare=false"
                        + "&acknowledgeMode=AUTO&rejectAndDontRequeue=false&retry=#bean:" + PublicFundsBroker.NO_RETRY
                        + "&concurrentConsumers=1&prefetchCount={{hub.adapters.public-funds.prefetch}}"
                        + "&messageListenerContainerType=SMLC&maxConcurrentConsumers=1",
                ROUTE_ID, props.enabled())
                .process(consumer::deliver);
    }
}
