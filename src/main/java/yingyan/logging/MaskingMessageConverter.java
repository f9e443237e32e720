package yingyan.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import yingyan.canonical.ResidentIds;

/**
 * {@code %m}, {@code %msg}, {@code %message} of the production log configuration ({@code logback-spring.xml}): the
 * message with every resident-ID-shaped run masked ({@link ResidentIds#maskAll}). A backstop: the hub masks at the
 * source of each message, and this catches a line that forgot to (a library quoting a value, a new debug line).
 */
public class MaskingMessageConverter extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return ResidentIds.maskAll(super.convert(event));
    }
}
