package yingyan.store;

import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import yingyan.spi.StoredHashes;

/** {@link StoredHashes} from the payload hashes of the stored records and of the quarantine. */
@Repository
public class StoredHashQuery implements StoredHashes {
    private final JdbcTemplate jdbc;

    public StoredHashQuery(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Set<String> held(String adapter, Map<String, String> items) {
        if (items.isEmpty()) {
            return Set.of();
        }
        Set<String> held = new HashSet<>();
        Collection<String> keys = items.keySet();
        String marks = String.join(",", Collections.nCopies(keys.size(), "?"));
        Object[] args = new Object[keys.size() + 1];
        args[0] = adapter;
        int i = 1;
        for (String k : keys) {
            args[i++] = k;
        }
        jdbc.query("SELECT source_key, payload_sha256 FROM record WHERE adapter = ? AND source_key IN (" + marks + ")",
                rs -> {
                    String key = rs.getString(1);
                    if (rs.getString(2).equals(items.get(key))) {
                        held.add(key);
                    }
                }, args);
        List<String> hashes = List.copyOf(items.values());
        Object[] hargs = new Object[hashes.size() + 1];
        hargs[0] = adapter;
        for (int j = 0; j < hashes.size(); j++) {
            hargs[j + 1] = hashes.get(j);
        }
        Set<String> quarantined = new HashSet<>(jdbc.queryForList("SELECT payload_sha256 FROM quarantine WHERE adapter = ?"
                + " AND payload_sha256 IN (" + String.join(",", Collections.nCopies(hashes.size(), "?")) + ")",
                String.class, hargs));
        items.forEach((key, hash) -> {
            if (quarantined.contains(hash)) {
                held.add(key);
            }
        });
        return held;
    }
}
