package yingyan.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import yingyan.ingest.MapperRegistry;

/** Every adapter folder contributes, in the running hub, a source route {@code <id>-source} and a mapper. */
@SpringBootTest
@ActiveProfiles("test")
class AdapterWiringTest {
    @Autowired
    CamelContext camel;
    @Autowired
    MapperRegistry mappers;

    @Test
    void everyAdapterFolderHasItsSourceRouteAndMapper() throws Exception {
        for (String id : AdapterCatalogTest.adapterFolders()) {
            assertThat(camel.getRoute(id + "-source")).as("route %s-source", id).isNotNull();
            assertThat(mappers.find(id)).as("mapper of %s", id).isPresent();
        }
        assertThat(mappers.adapterIds()).containsAll(AdapterCatalogTest.adapterFolders());
    }

    @Test
    void thePipelineRoutesAreLoadedFromRoutesFolder() {
        assertThat(camel.getRoute("ingest")).isNotNull();
        assertThat(camel.getRoute("persist")).isNotNull();
    }
}
