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
import java.util.LinkedHashMap;
import java.util.Map;
import yingyan.canonical.CanonicalTime;
import yingyan.testsupport.NothingLost.Produced;

/**
 * Writes a land-transfer export for the fault tests and says what it must come to. Every parcel is
 * announced; every 5th is signed {@link #GAP} Transfers later (a newer UpdatedAt); every 25th is then
 * corrected right after with the same UpdatedAt and another deal price, as a bureau fixing a typo
 * without touching the time does (a conflict: the later one in the file wins). Versions of a parcel
 * lie close together, so a hub stopped anywhere in the file has applied some parcels completely.
 */
public final class LandTransferExports {
    public static final int GAP = 20;
    private static final LocalDateTime T0 = LocalDateTime.of(2026, 1, 5, 8, 0, 0);

    private final int parcels;
    private final String prefix;
    private int belowStartEvery;

    /** {@code parcels} parcels numbered {@code <prefix>-000000}…; the prefix keeps exports of one test apart. */
    public LandTransferExports(String prefix, int parcels) {
        this.prefix = prefix;
        this.parcels = parcels;
    }

    /**
     * Every signed parcel whose number is a multiple of {@code n} is sold below its start price (a LAND_BELOW_START
     * alert); 0, the default: none is.
     */
    public LandTransferExports belowStartEvery(int n) {
        this.belowStartEvery = n;
        return this;
    }

    /** How many parcels are sold below their start price. */
    public int belowStart() {
        int n = 0;
        for (int i = 0; i < parcels; i++) {
            n += signed(i) && below(i) ? 1 : 0;
        }
        return n;
    }

    private boolean below(int i) {
        return belowStartEvery > 0 && i % belowStartEvery == 0;
    }

    static boolean signed(int i) {
        return i % 5 == 0;
    }

    static boolean corrected(int i) {
        return i % 25 == 0;
    }

    public String parcelNo(int i) {
        return String.format("%s-%06d", prefix, i);
    }

    /** Writes {@code dir/name} (through a temporary name) and its {@code .ok}. */
    public void drop(Path dir, String name) throws IOException {
        Path part = dir.resolve(name + ".part");
        try (Writer w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(part), StandardCharsets.UTF_8),
                1 << 16)) {
            w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LandTransferExport exportedAt=\"2026-03-20T02:00:00\""
                    + " region=\"370783\" count=\"" + transfers() + "\">\n");
            for (int j = 0; j < parcels + GAP; j++) {
                if (j < parcels) {
                    transfer(w, j, "公告中", null, updatedAt(j, false));
                }
                int r = j - GAP;
                if (r >= 0 && signed(r)) {
                    transfer(w, r, "已签约", dealPrice(r, false), updatedAt(r, true));
                    if (corrected(r)) {
                        transfer(w, r, "已签约", dealPrice(r, true), updatedAt(r, true));
                    }
                }
            }
            w.write("</LandTransferExport>\n");
        }
        Files.move(part, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        Files.createFile(dir.resolve(name + ".ok"));
    }

    public int transfers() {
        int n = 0;
        for (int i = 0; i < parcels; i++) {
            n += 1 + (signed(i) ? 1 : 0) + (corrected(i) ? 1 : 0);
        }
        return n;
    }

    /** Every parcel's record with its newest UpdatedAt. */
    public Map<String, Produced> produced() {
        Map<String, Produced> out = new LinkedHashMap<>();
        for (int i = 0; i < parcels; i++) {
            out.put("land-transfer:" + parcelNo(i), Produced.at(updatedAt(i, signed(i)).atOffset(CanonicalTime.BEIJING)));
        }
        return out;
    }

    /** The deal price the newest version of a signed parcel carries (the correction's, where there is one). */
    public String finalDealPrice(int i) {
        return dealPrice(i, corrected(i));
    }

    /** Versions the parcels have: one per Transfer, each (parcel, content) once. */
    public int versions() {
        return transfers();
    }

    private String dealPrice(int i, boolean correction) {
        return (below(i) ? 900_000 + i : 1_000_000 + i) + (correction ? ".50" : ".00");
    }

    private static LocalDateTime updatedAt(int i, boolean signed) {
        return T0.plusSeconds(i).plusDays(signed ? 1 : 0);
    }

    private void transfer(Writer w, int i, String status, String deal, LocalDateTime updated) throws IOException {
        w.write("  <Transfer>\n    <ParcelNo>" + parcelNo(i) + "</ParcelNo>\n    <Location>寿光市圣城街道某某路"
                + (i % 999 + 1) + "号地块东侧</Location>\n    <AreaM2>" + (500 + i % 5000) + ".00</AreaM2>\n"
                + "    <Use>住宅用地</Use>\n    <Method>挂牌</Method>\n    <AnnouncedAt>" + iso(T0.minusDays(30))
                + "</AnnouncedAt>\n    <StartPrice>1000000.00</StartPrice>\n");
        if (deal != null) {
            w.write("    <DealPrice>" + deal + "</DealPrice>\n    <Winner type=\"ORG\" creditCode=\"91350100M000100Y43\">"
                    + "寿光市某某置业有限公司</Winner>\n    <ContractedAt>" + iso(T0.minusDays(10)) + "</ContractedAt>\n");
        }
        w.write("    <Status>" + status + "</Status>\n    <UpdatedAt>" + iso(updated) + "</UpdatedAt>\n  </Transfer>\n");
    }

    private static String iso(LocalDateTime t) {
        return t.toString().length() == 16 ? t + ":00" : t.toString();
    }
}
