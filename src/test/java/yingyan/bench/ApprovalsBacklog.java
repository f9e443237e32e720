package yingyan.bench;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

/**
 * A city approval system's backlog, generated rather than stored: case {@code i} (0-based) is a pure
 * function of the seed and {@code i}, so a server can answer any page of millions of cases in constant
 * memory and the floor and the hub read byte-identical items. Each case changed last at
 * {@code T0 + i seconds} (one case per second, in the past), so the contract's order (updatedAt, then
 * caseNo) is the index order and {@code updatedSince} maps to an index by arithmetic. Items are shaped
 * like the contract's (docs/contracts/departments/approvals.md), ≈ 500 bytes of UTF-8 each, with a mix of
 * companies and people (whose resident IDs the hub masks and hashes), states, steps and fees.
 */
final class ApprovalsBacklog {
    static final LocalDateTime T0 = LocalDateTime.of(2020, 1, 1, 0, 0, 0);
    private static final DateTimeFormatter SOURCE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String[][] DEPTS = {
            {"370783", "sgzrzy", "寿光市自然资源局", "370700-XK-0012", "建设工程规划许可证核发"},
            {"370783", "sgscjg", "寿光市市场监督管理局", "370700-XK-0031", "食品经营许可"},
            {"370702", "wczjj", "潍城区住房和城乡建设局", "370700-XK-0044", "建筑工程施工许可证核发"},
            {"370781", "qzfgj", "青州市发展和改革局", "370700-XK-0058", "企业投资项目核准"},
            {"370782", "zcstj", "诸城市交通运输局", "370700-XK-0063", "道路货物运输经营许可"},
            {"370705", "kwwsj", "奎文区卫生健康局", "370700-XK-0077", "医疗机构执业登记"}};
    // Valid credit codes and resident IDs (check characters right), as in the land-transfer generator.
    private static final String[] ORGS = {"91350100M000100Y43", "91370783MA3C12345F", "91370700MA3D000013"};
    private static final String[] ORG_NAMES = {"寿光市某某置业有限公司", "潍坊某某食品有限公司", "青州市某某物流有限公司"};
    private static final String[] PEOPLE = {"11010519491231002X", "440524188001010014"};
    private static final String[] PEOPLE_NAMES = {"王某某", "李某"};
    private static final String[] STATES = {"在办", "办结", "办结", "办结", "不予受理", "退回", "撤件"};
    private static final String[] CLERKS = {"窗口-张三", "窗口-李四", "审批科-王五", "审批科-赵六"};

    private final long seed;

    ApprovalsBacklog(long seed) {
        this.seed = seed;
    }

    static String caseNo(long i) {
        String digits = Long.toString(i);
        return "BM-" + "0000000000".substring(Math.min(10, digits.length())) + digits;
    }

    /** The case's last change, {@code yyyy-MM-dd HH:mm:ss} (Beijing time, as the source writes it). */
    static String updatedAt(long i) {
        return format(T0.plusSeconds(i));
    }

    /** {@code yyyy-MM-dd HH:mm:ss} without a formatter: the server writes millions of these. */
    static String format(LocalDateTime t) {
        char[] c = "0000-00-00 00:00:00".toCharArray();
        put(c, 0, t.getYear(), 4);
        put(c, 5, t.getMonthValue(), 2);
        put(c, 8, t.getDayOfMonth(), 2);
        put(c, 11, t.getHour(), 2);
        put(c, 14, t.getMinute(), 2);
        put(c, 17, t.getSecond(), 2);
        return new String(c);
    }

    private static void put(char[] c, int at, int value, int width) {
        for (int k = at + width - 1; k >= at; k--) {
            c[k] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** The first index whose updatedAt is at or after {@code since} ({@code updatedSince} is inclusive). */
    static long firstAtOrAfter(String since) {
        long s = java.time.Duration.between(T0, LocalDateTime.parse(since, SOURCE)).getSeconds();
        return Math.max(0, s);
    }

    /** Appends case {@code i} as the API sends it. */
    void append(StringBuilder out, long i) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
        String[] d = DEPTS[r.nextInt(DEPTS.length)];
        LocalDateTime updated = T0.plusSeconds(i);
        String state = STATES[r.nextInt(STATES.length)];
        LocalDateTime received = updated.minusDays(1 + r.nextInt(20)).minusMinutes(r.nextInt(600));
        boolean decided = !"在办".equals(state);
        out.append("{\"caseNo\":\"").append(caseNo(i))
                .append("\",\"regionCode\":\"").append(d[0])
                .append("\",\"deptCode\":\"").append(d[1])
                .append("\",\"deptName\":\"").append(d[2])
                .append("\",\"itemCode\":\"").append(d[3])
                .append("\",\"itemName\":\"").append(d[4]).append("\",\"applicant\":");
        if (r.nextInt(10) < 7) {
            int o = r.nextInt(ORGS.length);
            out.append("{\"kind\":\"法人\",\"name\":\"").append(ORG_NAMES[o]).append("\",\"certNo\":\"").append(ORGS[o])
                    .append("\"}");
        } else {
            int p = r.nextInt(PEOPLE.length);
            out.append("{\"kind\":\"自然人\",\"name\":\"").append(PEOPLE_NAMES[p]).append("\",\"certNo\":\"")
                    .append(PEOPLE[p]).append("\"}");
        }
        out.append(",\"receivedAt\":\"").append(format(received)).append('"');
        out.append(",\"acceptedAt\":").append(time(received.plusHours(1)));
        out.append(",\"decidedAt\":").append(decided ? time(updated.minusMinutes(5)) : "null");
        out.append(",\"completedAt\":").append("办结".equals(state) ? time(updated) : "null");
        out.append(",\"handlers\":{\"received\":\"").append(CLERKS[r.nextInt(2)])
                .append("\",\"accepted\":\"").append(CLERKS[2 + r.nextInt(2)]).append("\"}");
        out.append(",\"legalLimit\":20,\"promisedLimit\":").append(5 + r.nextInt(10));
        out.append(",\"fee\":").append(r.nextInt(4) == 0 ? "null" : "\"" + (100 + r.nextInt(5000)) + "."
                + (10 + r.nextInt(90)) + "\"");
        out.append(",\"state\":\"").append(state).append("\",\"updatedAt\":\"").append(format(updated))
                .append("\"}");
    }

    /**
     * One {@code GET /api/cases} answer over cases {@code [0, visible)}: those updated at or after
     * {@code since} (null = all), page {@code page} of {@code size}.
     */
    byte[] page(String since, int page, int size, long visible) {
        long first = since == null ? 0 : Math.min(visible, firstAtOrAfter(since));
        long total = visible - first;
        long from = Math.min(visible, first + (long) (page - 1) * size);
        long to = Math.min(visible, from + size);
        StringBuilder body = new StringBuilder((int) (to - from) * 560 + 64);
        body.append("{\"total\":").append(total).append(",\"page\":").append(page).append(",\"size\":").append(size)
                .append(",\"items\":[");
        for (long i = from; i < to; i++) {
            if (i > from) {
                body.append(',');
            }
            append(body, i);
        }
        body.append("]}");
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String time(LocalDateTime t) {
        return "\"" + format(t) + "\"";
    }
}
