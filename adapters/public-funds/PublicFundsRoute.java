package yingyan.adapters.publicfunds;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import yingyan.spi.AdapterMonitor;
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
    private final AdapterMonitor monitor;

    PublicFundsRoute(PublicFundsProperties props, PublicFundsConsumer consumer, AdapterMonitor monitor) {
        this.props = props;
        this.consumer = consumer;
        this.monitor = monitor;
    }

    /** What the log, the board and health say when the adapter is off: what it needs and how to turn it on. */
    static String disabledReason(String queue) {
        return "public-funds needs a RabbitMQ (the treasury's AMQP 0-9-1 broker) and none is configured, so it is off"
                + " (hub.adapters.public-funds.enabled=false): no PUBLIC_FUND records. To run it, start one and set"
                + " YINGYAN_PUBLIC_FUNDS_ENABLED=true and YINGYAN_PUBLIC_FUNDS_ADDRESSES=host:5672 (queue " + queue
                + "; adapters/public-funds/README.md).";
    }

    @Override
    public void configure() {
        if (!props.enabled()) {
            String reason = disabledReason(props.queue());
            monitor.state(PublicFundsProperties.ADAPTER_ID).disabledBecause(reason);
            LOG.warn("public-funds adapter DISABLED: {}", reason);
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
