package yingyan.adapters.landtransfer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.util.Random;

/**
 * Writes a large land-transfer export as the bureau would after a backlog, streaming (constant memory):
 * {@code parcels} Transfers, every {@code repeatEvery}-th parcel repeated {@link #GAP} Transfers later in
 * a newer version (later UpdatedAt, a deal price, status 已签约), and optionally every
 * {@code badEvery}-th Transfer with an unknown Method (quarantined). Seeded: the same arguments always
 * write the same bytes. ≈ 520 bytes per Transfer, so 1 000 000 parcels ≈ 500 MB.
 */
public final class ExportGenerator {
    static final int GAP = 1000;
    static final LocalDateTime T0 = LocalDateTime.of(2025, 1, 1, 8, 0, 0);
    private static final String[] METHODS = {"招标", "拍卖", "挂牌", "协议"};
    private static final String[] USES = {"住宅用地", "商服用地", "工业用地", "仓储用地", "公共管理与公共服务用地"};
    private static final String[] TOWNS = {"圣城街道", "文家街道", "古城街道", "洛城街道", "孙家集街道", "侯镇", "田柳镇"};
    private static final String[] ORGS = {"91350100M000100Y43", "91370783MA3C12345F", "91370700MA3D000013"};
    private static final String[] PEOPLE = {"11010519491231002X", "440524188001010014"};

    final int parcels;
    final int repeatEvery;
    final int badEvery;
    final long seed;
    final int annexBytes;

    public ExportGenerator(int parcels, int repeatEvery, int badEvery, long seed) {
        this(parcels, repeatEvery, badEvery, seed, 0);
    }

    /**
     * @param annexBytes when positive, an {@code <Annex>} element of about this many bytes (an element the
     *        adapter does not know, skipped as it streams by) follows every Transfer: a file far larger than
     *        the heap without more records than a test can wait for
     */
    ExportGenerator(int parcels, int repeatEvery, int badEvery, long seed, int annexBytes) {
        this.parcels = parcels;
        this.repeatEvery = repeatEvery;
        this.badEvery = badEvery;
        this.seed = seed;
        this.annexBytes = annexBytes;
    }

    static String parcelNo(int i) {
        return String.format("GEN-%07d", i);
    }

    boolean repeated(int i) {
        return repeatEvery > 0 && i % repeatEvery == 0;
    }

    boolean bad(int i) {
        return badEvery > 0 && i % badEvery == badEvery - 1;
    }

    /** Parcels that become records (the bad ones are quarantined). */
    int goodParcels() {
        int n = 0;
        for (int i = 0; i < parcels; i++) {
            n += bad(i) ? 0 : 1;
        }
        return n;
    }

    /** Versions the parcel has in the file. */
    int versions(int i) {
        return bad(i) ? 0 : repeated(i) ? 2 : 1;
    }

    LocalDateTime newestUpdatedAt(int i) {
        return repeated(i) ? updatedAt(i).plusDays(1) : updatedAt(i);
    }

    /** Writes the export to {@code target} through a temporary name, so that it appears complete. */
    public long write(Path target) throws IOException {
        Path part = target.resolveSibling(target.getFileName() + ".part");
        Random rnd = new Random(seed);
        long transfers = 0;
        try (Writer w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(part), StandardCharsets.UTF_8),
                1 << 16)) {
            int total = parcels + countRepeats();
            w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LandTransferExport exportedAt=\"2026-03-20T02:00:00\""
                    + " region=\"370783\" count=\"" + total + "\">\n");
            for (int j = 0; j < parcels + GAP; j++) {
                if (j < parcels) {
                    transfer(w, rnd, j, false);
                    transfers++;
                    annex(w);
                }
                int r = j - GAP;
                if (r >= 0 && r < parcels && repeated(r)) {
                    transfer(w, rnd, r, true);
                    transfers++;
                }
            }
            w.write("</LandTransferExport>\n");
        }
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return transfers;
    }

    private static final String ANNEX_LINE = "附件扫描件 " + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkw".repeat(2) + "\n";

    private void annex(Writer w) throws IOException {
        if (annexBytes <= 0) {
            return;
        }
        w.write("  <Annex type=\"scan\">\n");
        int lineBytes = ANNEX_LINE.getBytes(StandardCharsets.UTF_8).length;
        for (int written = 0; written < annexBytes; written += lineBytes) {
            w.write(ANNEX_LINE);
        }
        w.write("  </Annex>\n");
    }

    private int countRepeats() {
        int n = 0;
        for (int i = 0; i < parcels; i++) {
            n += repeated(i) ? 1 : 0;
        }
        return n;
    }

    private static LocalDateTime updatedAt(int i) {
        return T0.plusSeconds(i);
    }

    private void transfer(Writer w, Random rnd, int i, boolean newer) throws IOException {
        LocalDateTime announced = T0.minusDays(30).plusSeconds(i);
        String method = bad(i) ? "网拍" : METHODS[i % METHODS.length];
        long start = 100_000L + rnd.nextInt(90_000_000);
        boolean winner = newer || rnd.nextInt(4) > 0;
        w.write("  <Transfer>\n    <ParcelNo>" + parcelNo(i) + "</ParcelNo>\n    <Location>寿光市"
                + TOWNS[rnd.nextInt(TOWNS.length)] + "某某路" + (1 + rnd.nextInt(999)) + "号地块东侧</Location>\n"
                + "    <AreaM2>" + (500 + rnd.nextInt(50_000)) + "." + String.format("%02d", rnd.nextInt(100))
                + "</AreaM2>\n    <Use>" + USES[rnd.nextInt(USES.length)] + "</Use>\n    <Method>" + method
                + "</Method>\n    <AnnouncedAt>" + iso(announced) + "</AnnouncedAt>\n    <StartPrice>" + start + ".00</StartPrice>\n");
        if (winner) {
            w.write("    <DealPrice>" + (start + rnd.nextInt(5_000_000)) + "." + String.format("%02d", rnd.nextInt(100))
                    + "</DealPrice>\n");
            if (rnd.nextInt(10) == 0) {
                w.write("    <Winner type=\"PERSON\" idNo=\"" + PEOPLE[rnd.nextInt(PEOPLE.length)] + "\">某某某</Winner>\n");
            } else {
                w.write("    <Winner type=\"ORG\" creditCode=\"" + ORGS[rnd.nextInt(ORGS.length)]
                        + "\">寿光市某某置业有限公司</Winner>\n");
            }
            w.write("    <ContractedAt>" + iso(announced.plusDays(20)) + "</ContractedAt>\n    <PaidAt/>\n"
                    + "    <Status>已签约</Status>\n");
        } else {
            w.write("    <PaidAt/>\n    <Status>公告中</Status>\n");
        }
        w.write("    <UpdatedAt>" + iso(newer ? updatedAt(i).plusDays(1) : updatedAt(i)) + "</UpdatedAt>\n  </Transfer>\n");
    }

    private static String iso(LocalDateTime t) {
        return String.format("%04d-%02d-%02dT%02d:%02d:%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
                t.getHour(), t.getMinute(), t.getSecond());
    }
}
