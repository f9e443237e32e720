package yingyan.supervision.alerts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.springframework.jdbc.core.JdbcTemplate;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.Domain;
import yingyan.supervision.RuleContext;
import yingyan.supervision.WorkingCalendar;

/**
 * The sets a follower page's set rules read, loaded set-based: one query per few hundred keys instead of one per
 * record and rule. What a set holds is what {@link StoredRuleContext} reads once the page is indexed
 * ({@code supervision_record}): every record indexed under the key and not in the page (its current version from
 * {@code record}), and every record of the page whose version in the page has the key. A key nobody loaded yet is
 * a miss: the rule's outcome for that record is computed again once the misses are loaded ({@link Evaluator}).
 */
final class PageSets {
    private static final int KEYS_PER_QUERY = 200;

    /** A set key: the domain and the values the rule looks up. */
    record Key(Domain domain, String first, String second) {
    }

    private final Map<String, CanonicalRecord> page;
    private final Map<Key, List<CanonicalRecord>> byParty = new ConcurrentHashMap<>();
    private final Map<Key, List<CanonicalRecord>> byIdHash = new ConcurrentHashMap<>();

    PageSets(Collection<CanonicalRecord> records) {
        Map<String, CanonicalRecord> byId = new HashMap<>();
        records.forEach(r -> byId.put(r.recordId(), r));
        this.page = byId;
    }

    /** What one (record, rule) evaluation asked for that is not loaded. */
    static final class Misses {
        final Set<Key> parties = ConcurrentHashMap.newKeySet();
        final Set<Key> idHashes = ConcurrentHashMap.newKeySet();

        boolean any() {
            return !parties.isEmpty() || !idHashes.isEmpty();
        }

        void addAll(Misses other) {
            parties.addAll(other.parties);
            idHashes.addAll(other.idHashes);
        }
    }

    /** A rule's view for one evaluation; the records it hands out are remembered in {@code seen}. */
    RuleContext context(WorkingCalendar calendar, Map<String, CanonicalRecord> seen, Misses misses) {
        return new RuleContext() {
            @Override
            public WorkingCalendar calendar() {
                return calendar;
            }

            @Override
            public List<CanonicalRecord> byDepartmentAndCreditCode(Domain domain, String departmentCode,
                                                                   String creditCode) {
                if (departmentCode == null || creditCode == null) {
                    return List.of();
                }
                Key key = new Key(domain, departmentCode, creditCode);
                return handOut(byParty.get(key), key, misses.parties, seen);
            }

            @Override
            public List<CanonicalRecord> byPartyIdHash(Domain domain, String idHash) {
                if (idHash == null) {
                    return List.of();
                }
                Key key = new Key(domain, idHash, null);
                return handOut(byIdHash.get(key), key, misses.idHashes, seen);
            }
        };
    }

    private static List<CanonicalRecord> handOut(List<CanonicalRecord> set, Key key, Set<Key> missed,
                                                 Map<String, CanonicalRecord> seen) {
        if (set == null) {
            missed.add(key);
            return List.of();
        }
        List<CanonicalRecord> out = new ArrayList<>(set.size());
        for (CanonicalRecord r : set) {
            seen.putIfAbsent(r.recordId(), r);
            out.add(seen.get(r.recordId()));
        }
        return out;
    }

    /** Loads the sets of the missed keys. */
    void load(JdbcTemplate jdbc, Misses misses) {
        load(jdbc, misses.parties, byParty, "s.department_code = ? AND s.credit_code = ?", 2,
                r -> r.department() == null || r.party() == null ? null
                        : new Key(r.domain(), r.department().code(), r.party().creditCode()));
        load(jdbc, misses.idHashes, byIdHash, "s.id_hash = ?", 1,
                r -> r.party() == null || r.party().idHash() == null ? null
                        : new Key(r.domain(), r.party().idHash(), null));
    }

    private void load(JdbcTemplate jdbc, Set<Key> keys, Map<Key, List<CanonicalRecord>> into, String match,
                      int values, Function<CanonicalRecord, Key> keyOf) {
        List<Key> wanted = keys.stream().filter(k -> !into.containsKey(k)).toList();
        if (wanted.isEmpty()) {
            return;
        }
        Map<Key, Map<String, CanonicalRecord>> found = new HashMap<>();
        wanted.forEach(k -> found.put(k, new HashMap<>()));
        for (int i = 0; i < wanted.size(); i += KEYS_PER_QUERY) {
            List<Key> chunk = wanted.subList(i, Math.min(wanted.size(), i + KEYS_PER_QUERY));
            List<Object> args = new ArrayList<>();
            for (Key k : chunk) {
                args.add(k.domain().name());
                args.add(k.first());
                if (values == 2) {
                    args.add(k.second());
                }
            }
            String one = "(s.domain = ? AND " + match + ")";
            jdbc.query("SELECT s.domain, s.department_code, s.credit_code, s.id_hash, r.body FROM supervision_record s"
                    + " JOIN record r ON r.record_id = s.record_id WHERE "
                    + String.join(" OR ", Collections.nCopies(chunk.size(), one)), rs -> {
                Domain domain = Domain.valueOf(rs.getString(1));
                Key k = values == 2 ? new Key(domain, rs.getString(2), rs.getString(3))
                        : new Key(domain, rs.getString(4), null);
                Map<String, CanonicalRecord> set = found.get(k);
                if (set == null) {
                    return;
                }
                CanonicalRecord r = CanonicalJson.read(rs.getString(5));
                if (!page.containsKey(r.recordId())) { // a record of the page is in the set of its page version's key
                    set.put(r.recordId(), r);
                }
            }, args.toArray());
        }
        for (CanonicalRecord r : page.values()) {
            Key k = keyOf.apply(r);
            if (k != null && found.containsKey(k)) {
                found.get(k).put(r.recordId(), r);
            }
        }
        found.forEach((k, set) -> {
            List<CanonicalRecord> sorted = new ArrayList<>(set.values());
            sorted.sort(Comparator.comparing(CanonicalRecord::recordId));
            into.put(k, List.copyOf(sorted));
        });
    }
}
