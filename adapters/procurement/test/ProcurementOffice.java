package yingyan.adapters.procurement;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import yingyan.canonical.CanonicalTime;
import yingyan.testsupport.NothingLost.Produced;

/**
 * The procurement office for tests elsewhere (the cluster proof): exports {@code cgjg_….csv} (GBK, the contract's
 * 14 columns) written into the adapter's drop folder as the office writes them ({@code .tmp}, then renamed), as
 * {@link ProcurementDemoDrop} drops the samples. Projects are announced, then contracted in a later export.
 * Remembers each project's newest updatedAt.
 */
public final class ProcurementOffice {
    private static final Charset GBK = Charset.forName("GBK");
    private static final DateTimeFormatter T = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final LocalDateTime T0 = LocalDateTime.of(2026, 3, 5, 9, 0, 0);
    private static final String HEADER = "项目编号,项目名称,采购单位编码,采购单位,区划,采购方式,预算金额,中标金额,中标供应商,"
            + "供应商信用代码,公告日期,合同签订日期,状态,更新时间";

    private final Path drop;
    private final String prefix;
    private final Map<String, Produced> produced = new LinkedHashMap<>();

    public ProcurementOffice(Path drop, String prefix) {
        this.drop = drop;
        this.prefix = prefix;
    }

    /** The hub's settings to read this office's drop folder. */
    public Map<String, Object> hubSettings() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("hub.adapters.procurement.enabled", "true");
        p.put("hub.adapters.procurement.drop-dir", drop);
        p.put("hub.adapters.procurement.poll-interval", "200ms");
        p.put("hub.adapters.procurement.chunk-size", "100");
        return p;
    }

    /**
     * Drops export {@code cgjg_<name>.csv}: projects {@code from}… announced ({@code 已公告}) a second apart, and
     * projects {@code contractedFrom}… (announced before) contracted ({@code 已签约}) a day later.
     */
    public synchronized String export(String name, int from, int count, int contractedFrom, int contracted)
            throws IOException {
        StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
        for (int i = from; i < from + count; i++) {
            LocalDateTime at = T0.plusSeconds(i);
            csv.append(key(i)).append(",潍坊市机关办公设备采购").append(i).append(",WFJGSWJ,潍坊市机关事务服务中心,370700,"
                    + "公开招标,\"860,000.00\",,,,2026-03-05,,已公告,").append(at.format(T)).append("\r\n");
            produced.put("procurement:" + key(i), Produced.at(CanonicalTime.parseSource(at.format(T))));
        }
        for (int i = contractedFrom; i < contractedFrom + contracted; i++) {
            LocalDateTime at = T0.plusDays(1).plusSeconds(i);
            csv.append(key(i)).append(",潍坊市机关办公设备采购").append(i).append(",WFJGSWJ,潍坊市机关事务服务中心,370700,"
                    + "公开招标,\"860,000.00\",\"851,000.00\",潍坊某某教学设备有限公司,91350100M000100Y43,2026-03-05,"
                    + "2026-03-06,已签约,").append(at.format(T)).append("\r\n");
            produced.put("procurement:" + key(i), Produced.at(CanonicalTime.parseSource(at.format(T))));
        }
        String file = "cgjg_" + name + ".csv";
        Files.createDirectories(drop);
        Path tmp = drop.resolve(file + ".tmp");
        Files.write(tmp, csv.toString().getBytes(GBK));
        Files.move(tmp, drop.resolve(file), StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    /** Every project exported so far with its newest updatedAt. */
    public synchronized Map<String, Produced> produced() {
        return new LinkedHashMap<>(produced);
    }

    private String key(int i) {
        return String.format("%s-%05d", prefix, i);
    }
}
