package yingyan.ingest;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import yingyan.spi.SourceMapper;

/** Every adapter's mapper, by adapter id. */
@Component
public class MapperRegistry {
    private final Map<String, SourceMapper> byAdapter;

    public MapperRegistry(List<SourceMapper> mappers) {
        this.byAdapter = mappers.stream().collect(Collectors.toUnmodifiableMap(SourceMapper::adapterId,
                Function.identity()));
    }

    public Optional<SourceMapper> find(String adapterId) {
        return Optional.ofNullable(byAdapter.get(adapterId));
    }

    public Set<String> adapterIds() {
        return new TreeSet<>(byAdapter.keySet());
    }
}
