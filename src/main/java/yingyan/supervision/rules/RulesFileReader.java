package yingyan.supervision.rules;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import yingyan.supervision.Rule;
import yingyan.supervision.conf.ConfDirectory;
import yingyan.supervision.conf.YamlNode;

/**
 * Reads {@code rules.yaml} (per rule: {@code enabled}, {@code version}, its thresholds) and {@code fees.yaml}
 * ({@code free: [codes]}, {@code standard: {code: "max"}}) into the enabled rules. Refuses, naming file, line and
 * key: an unknown rule id, an unknown setting, a negative or malformed threshold, a matter both free and
 * standard. A rule not in the file runs with its defaults; the version used is the file's or the code's,
 * whichever is higher.
 */
final class RulesFileReader {
    /** The code's version of every rule (raised when its logic changes). */
    static final int CODE_VERSION = 1;

    /** Every rule id, with its settings: kind ("int:min", "amount", "share") and default. */
    static final Map<String, Map<String, Object[]>> SETTINGS = new LinkedHashMap<>();

    static {
        SETTINGS.put("LATE_ACCEPTANCE", Map.of("acceptanceWorkingDays", new Object[] {"int:0", 5}));
        SETTINGS.put("NEAR_PROMISED", Map.of());
        SETTINGS.put("PROMISED_OVERDUE", Map.of());
        SETTINGS.put("LEGAL_OVERDUE", Map.of());
        SETTINGS.put("PROMISE_EXCEEDS_LAW", Map.of());
        SETTINGS.put("UNAUTHORISED_FEE", Map.of());
        SETTINGS.put("SINGLE_SOURCE_LARGE", Map.of("threshold", new Object[] {"amount", new BigDecimal("1000000.00")}));
        SETTINGS.put("OVER_BUDGET", Map.of());
        SETTINGS.put("LAND_BELOW_START", Map.of());
        SETTINGS.put("STATE_ASSET_BELOW_APPRAISAL", Map.of("minimumShareOfAppraisal",
                new Object[] {"share", new BigDecimal("0.90")}));
        SETTINGS.put("SPLIT_PURCHASE", Map.of("tenderThreshold", new Object[] {"amount", new BigDecimal("1000000.00")},
                "windowDays", new Object[] {"int:1", 30}, "minRecords", new Object[] {"int:2", 3}));
        SETTINGS.put("REPEAT_WITHDRAWAL", Map.of("maxWithdrawals", new Object[] {"int:0", 2},
                "windowDays", new Object[] {"int:1", 365}));
        SETTINGS.put("PAYMENT_BEFORE_APPROVAL", Map.of());
        SETTINGS.put("TIMELINE_ORDER", Map.of());
    }

    private RulesFileReader() {
    }

    /** The enabled rules from the two files of {@code dir} (either may be absent: defaults, no fee lists). */
    static List<Rule> load(ConfDirectory dir) {
        return load(dir, files(dir));
    }

    static Map<String, String> files(ConfDirectory dir) {
        return dir.read(n -> n.equals("rules.yaml") || n.equals("fees.yaml"));
    }

    static List<Rule> load(ConfDirectory dir, Map<String, String> files) {
        return rules(readSettings(dir.location("rules.yaml"), files.getOrDefault("rules.yaml", "")),
                readFees(dir.location("fees.yaml"), files.getOrDefault("fees.yaml", "")));
    }

    record Fees(Set<String> free, Map<String, BigDecimal> standard) {
    }

    static Map<String, RuleSettings> readSettings(String file, String text) {
        Map<String, RuleSettings> settings = new LinkedHashMap<>();
        YamlNode root = YamlNode.parse(file, text);
        Map<String, YamlNode> given = new HashMap<>();
        if (root != null) {
            for (Map.Entry<String, YamlNode> e : root.entries().entrySet()) {
                if (!e.getKey().equals("rules")) {
                    throw e.getValue().error("unknown key (rules.yaml has rules: only)");
                }
                if (!e.getValue().isNull()) {
                    given.putAll(e.getValue().entries());
                }
            }
            for (Map.Entry<String, YamlNode> e : given.entrySet()) {
                if (!SETTINGS.containsKey(e.getKey())) {
                    throw e.getValue().error("unknown rule id (known: " + String.join(", ", SETTINGS.keySet()) + ")");
                }
            }
        }
        for (Map.Entry<String, Map<String, Object[]>> rule : SETTINGS.entrySet()) {
            boolean enabled = true;
            int version = CODE_VERSION;
            Map<String, Object> values = new HashMap<>();
            rule.getValue().forEach((k, spec) -> values.put(k, spec[1]));
            YamlNode node = given.get(rule.getKey());
            if (node != null && !node.isNull()) {
                for (Map.Entry<String, YamlNode> s : node.entries().entrySet()) {
                    YamlNode v = s.getValue();
                    switch (s.getKey()) {
                        case "enabled" -> enabled = v.bool();
                        case "version" -> version = Math.max(CODE_VERSION, v.integer(1));
                        default -> {
                            Object[] spec = rule.getValue().get(s.getKey());
                            if (spec == null) {
                                throw v.error("unknown setting of " + rule.getKey() + " (known: enabled, version"
                                        + (rule.getValue().isEmpty() ? "" : ", " + String.join(", ",
                                        new TreeSet<>(rule.getValue().keySet()))) + ")");
                            }
                            String kind = (String) spec[0];
                            values.put(s.getKey(), kind.startsWith("int:")
                                    ? v.integer(Integer.parseInt(kind.substring(4)))
                                    : kind.equals("amount") ? v.amount() : v.share());
                        }
                    }
                }
            }
            settings.put(rule.getKey(), new RuleSettings(enabled, version, values));
        }
        return settings;
    }

    static Fees readFees(String file, String text) {
        YamlNode root = YamlNode.parse(file, text);
        Set<String> free = new TreeSet<>();
        Map<String, BigDecimal> standard = new LinkedHashMap<>();
        if (root == null) {
            return new Fees(free, standard);
        }
        Map<String, Integer> freeLines = new HashMap<>();
        for (Map.Entry<String, YamlNode> e : root.entries().entrySet()) {
            switch (e.getKey()) {
                case "free" -> e.getValue().items().forEach(i -> {
                    free.add(i.text());
                    freeLines.putIfAbsent(i.text(), i.line());
                });
                case "standard" -> {
                    if (!e.getValue().isNull()) {
                        e.getValue().entries().forEach((code, max) -> standard.put(code, max.amount()));
                    }
                }
                default -> throw e.getValue().error("unknown key (fees.yaml has free and standard)");
            }
        }
        if (!standard.isEmpty()) {
            Map<String, YamlNode> entries = root.entries().get("standard").entries();
            for (String code : standard.keySet()) {
                if (free.contains(code)) {
                    throw entries.get(code).error(code + " is listed free (line " + freeLines.get(code)
                            + ") and with a standard");
                }
            }
        }
        return new Fees(free, standard);
    }

    static List<Rule> rules(Map<String, RuleSettings> s, Fees fees) {
        Map<String, Function<RuleSettings, Rule>> make = new LinkedHashMap<>();
        make.put("LATE_ACCEPTANCE", r -> new TimeLimitRules.LateAcceptance(r.version(),
                r.integer("acceptanceWorkingDays")));
        make.put("NEAR_PROMISED", r -> new TimeLimitRules.NearPromised(r.version()));
        make.put("PROMISED_OVERDUE", r -> TimeLimitRules.Overdue.promised(r.version()));
        make.put("LEGAL_OVERDUE", r -> TimeLimitRules.Overdue.legal(r.version()));
        make.put("PROMISE_EXCEEDS_LAW", r -> new TimeLimitRules.PromiseExceedsLaw(r.version()));
        make.put("UNAUTHORISED_FEE", r -> new AmountRules.UnauthorisedFee(r.version(), fees.free(), fees.standard()));
        make.put("SINGLE_SOURCE_LARGE", r -> new AmountRules.SingleSourceLarge(r.version(), r.decimal("threshold")));
        make.put("OVER_BUDGET", r -> new AmountRules.OverBudget(r.version()));
        make.put("LAND_BELOW_START", r -> new AmountRules.LandBelowStart(r.version()));
        make.put("STATE_ASSET_BELOW_APPRAISAL", r -> new AmountRules.StateAssetBelowAppraisal(r.version(),
                r.decimal("minimumShareOfAppraisal")));
        make.put("SPLIT_PURCHASE", r -> new SetRules.SplitPurchase(r.version(), r.decimal("tenderThreshold"),
                r.integer("windowDays"), r.integer("minRecords")));
        make.put("REPEAT_WITHDRAWAL", r -> new SetRules.RepeatWithdrawal(r.version(), r.integer("maxWithdrawals"),
                r.integer("windowDays")));
        make.put("PAYMENT_BEFORE_APPROVAL", r -> new OrderRules.PaymentBeforeApproval(r.version()));
        make.put("TIMELINE_ORDER", r -> new OrderRules.TimelineOrder(r.version(),
                s.get("PAYMENT_BEFORE_APPROVAL").enabled()));
        List<Rule> rules = new ArrayList<>();
        make.forEach((id, f) -> {
            if (s.get(id).enabled()) {
                rules.add(f.apply(s.get(id)));
            }
        });
        return List.copyOf(rules);
    }

}
