package yingyan;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The Yingyan data-integration hub. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class YingyanHub {
    public static void main(String[] args) {
        SpringApplication.run(YingyanHub.class, args);
    }
}
