package yingyan.supervision.calendar;

import java.time.Clock;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import yingyan.supervision.conf.ConfDirectory;
import yingyan.supervision.conf.PeriodicReload;
import yingyan.supervision.conf.SupervisionFilesProperties;

/**
 * The working-day calendar as a bean ({@link yingyan.supervision.WorkingCalendar}, concretely
 * {@link ReloadingCalendar}), its health and its hot reload. A bad calendar file refuses the start.
 */
@Configuration(proxyBeanMethods = false)
class CalendarConfiguration {

    @Bean
    ReloadingCalendar workingCalendar(SupervisionFilesProperties props, ApplicationEventPublisher events) {
        return new ReloadingCalendar(ConfDirectory.of("hub.supervision.calendar-dir", props.calendarDir()), events);
    }

    @Bean("calendar")
    CalendarHealth calendarHealth(ReloadingCalendar calendar) {
        return new CalendarHealth(calendar, Clock.systemUTC());
    }

    @Bean
    PeriodicReload calendarReload(SupervisionFilesProperties props, ReloadingCalendar calendar) {
        boolean changeable = ConfDirectory.of("hub.supervision.calendar-dir", props.calendarDir()).onFileSystem();
        return new PeriodicReload("calendar", changeable ? props.reloadInterval() : java.time.Duration.ZERO,
                calendar::reload);
    }
}
