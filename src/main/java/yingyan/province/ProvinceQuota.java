package yingyan.province;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one {@link Quota} of the hub's requests to the province: record batches and alert batches take their
 * turns from it, as the province counts them together (docs/contracts/province.md §3: one 20 requests/s quota).
 */
@Configuration(proxyBeanMethods = false)
class ProvinceQuota {
    @Bean
    Quota provinceRequestQuota(ProvinceProperties props) {
        return Quota.of(props);
    }
}
