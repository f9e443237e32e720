package yingyan.spi;

import java.time.Duration;

/**
 * The source route of a timer-polled adapter: {@code <id>-source} ticks every poll interval and calls
 * {@link PollingSource#poll()} on the timer's thread, so the next tick waits until a poll is done and
 * polls never overlap. It starts with the hub when the adapter is enabled; otherwise it exists, stopped.
 * A poll never throws into the timer (a failing source is a state in health that backs off), so the
 * route takes the timers' error handling ({@link #TIMER_ERRORS}).
 */
public abstract class PollingSourceRoute extends SourceRouteBuilder {
    private final String routeId;
    private final PollingSource source;
    private final Duration interval;
    private final Duration initialDelay;
    private final boolean enabled;

    protected PollingSourceRoute(String adapterId, PollingSource source, Duration interval, Duration initialDelay,
                                 boolean enabled) {
        this.routeId = routeId(adapterId);
        this.source = source;
        this.interval = interval;
        this.initialDelay = initialDelay;
        this.enabled = enabled;
    }

    /** The id every adapter's source route has: {@code <adapter id>-source}. */
    public static String routeId(String adapterId) {
        return adapterId + "-source";
    }

    @Override
    public void configure() {
        from("timer:" + routeId + "?period=" + interval.toMillis() + "&delay=" + initialDelay.toMillis())
                .routeId(routeId)
                .routeConfigurationId(TIMER_ERRORS)
                .autoStartup(enabled)
                .bean(source, "poll");
    }
}
