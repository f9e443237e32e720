package yingyan.supervision.rules;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import yingyan.canonical.AmountKind;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.Department;
import yingyan.canonical.Domain;
import yingyan.canonical.Limits;
import yingyan.canonical.Matter;
import yingyan.canonical.Party;
import yingyan.canonical.SourceLineage;
import yingyan.canonical.Status;
import yingyan.canonical.Step;
import yingyan.supervision.RuleContext;
import yingyan.supervision.WorkingCalendar;
import yingyan.supervision.calendar.FileCalendar;
import yingyan.supervision.conf.ConfDirectory;

/** Records shaped like the golden cases' expected records (test-data/), and a context over a list of them. */
final class RuleFixtures {
    static final WorkingCalendar CALENDAR = FileCalendar.load(ConfDirectory.of("c", "conf/calendar"));

    private RuleFixtures() {
    }

    static OffsetDateTime t(String beijing) {
        return OffsetDateTime.parse(beijing + "+08:00");
    }

    static Instant i(String beijing) {
        return t(beijing).toInstant();
    }

    /** The approval case of canonical-model.md, with its steps, limits and status given. */
    static CanonicalRecord.Builder approval(String key) {
        return CanonicalRecord.builder().domain(Domain.APPROVAL).regionCode("370783")
                .department(new Department("SGZRZY", "寿光市自然资源局", false))
                .matter(new Matter("370700-XK-0012", "建设工程规划许可证核发"))
                .party(Party.org("寿光市某某置业有限公司", "91350100M000100Y43"))
                .source(source("approvals", key, "2026-03-10T09:00:03"));
    }

    static CanonicalRecord openApproval(String accepted, Integer legal, Integer promised) {
        return approval("SG-2026-000123").step(Step.RECEIVED, t(accepted), "窗口-张三")
                .step(Step.ACCEPTED, t(accepted), null).limits(Limits.ofNullable(legal, promised))
                .status(Status.OPEN).build();
    }

    static CanonicalRecord.Builder trading(Domain domain, String key, String matterCode) {
        return CanonicalRecord.builder().domain(domain).regionCode("370705")
                .department(new Department("KWZJ", "奎文区住房和城乡建设局", false))
                .matter(new Matter(matterCode, "某某项目")).party(Party.org("某某建设集团有限公司", "91370700MA3R1T2U33"))
                .status(Status.COMPLETED).source(source("trading", key, "2026-03-24T17:00:05"));
    }

    static CanonicalRecord.Builder amounts(CanonicalRecord.Builder b, Object... kindAndValue) {
        for (int k = 0; k < kindAndValue.length; k += 2) {
            b.amount((AmountKind) kindAndValue[k], (String) kindAndValue[k + 1]);
        }
        return b;
    }

    static SourceLineage source(String system, String key, String updatedAt) {
        return new SourceLineage(system, key, t(updatedAt), t(updatedAt).plusMinutes(1),
                "9f2c" + "0".repeat(56) + Integer.toHexString(Math.abs(key.hashCode() % 4096) + 4096));
    }

    /** A context over {@code stored}: what the alert engine's lookups answer. */
    static RuleContext context(List<CanonicalRecord> stored) {
        List<CanonicalRecord> all = new ArrayList<>(stored);
        return new RuleContext() {
            @Override
            public WorkingCalendar calendar() {
                return CALENDAR;
            }

            @Override
            public List<CanonicalRecord> byDepartmentAndCreditCode(Domain d, String dept, String credit) {
                return all.stream().filter(r -> r.domain() == d && r.department().code().equals(dept)
                        && r.party() != null && credit.equals(r.party().creditCode())).toList();
            }

            @Override
            public List<CanonicalRecord> byPartyIdHash(Domain d, String hash) {
                return all.stream().filter(r -> r.domain() == d && r.party() != null
                        && hash.equals(r.party().idHash())).toList();
            }
        };
    }

    static RuleContext context() {
        return context(List.of());
    }
}
