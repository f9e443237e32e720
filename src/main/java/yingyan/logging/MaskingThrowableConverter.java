package yingyan.logging;

import ch.qos.logback.classic.spi.IThrowableProxy;
import org.springframework.boot.logging.logback.ExtendedWhitespaceThrowableProxyConverter;
import yingyan.canonical.ResidentIds;

/**
 * {@code %wEx} (Spring Boot's stack trace, the default exception word of its patterns) of the production log
 * configuration, with every resident-ID-shaped run in the exception messages masked: the backstop of
 * {@link MaskingMessageConverter} for what follows the message.
 */
public class MaskingThrowableConverter extends ExtendedWhitespaceThrowableProxyConverter {
    @Override
    protected String throwableProxyToString(IThrowableProxy tp) {
        return ResidentIds.maskAll(super.throwableProxyToString(tp));
    }
}
