package yingyan.supervision;

import java.util.List;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.Domain;

/** What a rule may read besides its record: the calendar and, for set rules, the other records of a key. */
public interface RuleContext {
    WorkingCalendar calendar();

    /** Current versions of the records of {@code domain} with this department code and party credit code. */
    List<CanonicalRecord> byDepartmentAndCreditCode(Domain domain, String departmentCode, String creditCode);

    /** Current versions of the records of {@code domain} whose party has this resident-ID hash. */
    List<CanonicalRecord> byPartyIdHash(Domain domain, String idHash);
}
