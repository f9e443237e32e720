package yingyan.adapters.landtransfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import yingyan.testsupport.BigFileHub;

/**
 * Files several times larger than the heap, through the whole hub in a child JVM with {@code -Xmx256m}
 * (and {@code -XX:+ExitOnOutOfMemoryError}, so an OutOfMemoryError anywhere ends it with exit code 3):
 * <ul>
 *   <li>a 1 GB land-transfer export of 10 000 Transfers (each followed by a 105 KB annex the adapter skips as
 *       it streams by): every Transfer stored;</li>
 *   <li>a 1 GB export whose middle Transfer has one 1 GB element: that Transfer refused (too large, the
 *       limit named), the Transfers around it stored;</li>
 *   <li>a 200 MB export whose second Transfer carries a 200 MB attribute (which the XML parser would hold
 *       whole): refused before the parser holds it, the Transfer before stored;</li>
 *   <li>a 150 MB procurement CSV (GBK) of 1 000 rows and an unbalanced quote swallowing a 150 MB remainder:
 *       the rows stored, the remainder one quarantined item.</li>
 * </ul>
 * The files are generated into {@code target/big-files/} and deleted afterwards. About two minutes, so it
 * is tagged {@code big-file}: {@code .ci/run} runs it, a plain {@code mvn verify} skips it unless
 * {@code -Pbig-files} is given.
 */
@Tag("big-file")
class LandTransferBigFileTest {
    static final long GB = 1L << 30;
    static final int PARCELS = 10_000;
    static final int CSV_ROWS = 1_000;

    Path dir;

    @BeforeEach
    void makeDir() throws IOException {
        dir = Files.createDirectories(Path.of("target", "big-files", "run-" + ProcessHandle.current().pid()))
                .toAbsolutePath();
    }

    @AfterEach
    void deleteFiles() throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void filesFarLargerThanTheHeapAreStoredOrRefusedClearlyWithoutOutOfMemory() throws Exception {
        Path land = Files.createDirectories(dir.resolve("drop-land"));
        Path procurement = Files.createDirectories(dir.resolve("drop-procurement"));

        long t0 = System.nanoTime();
        ExportGenerator many = new ExportGenerator(PARCELS, 0, 0, 7, (int) (GB / PARCELS));
        drop(land, "CRGG_20260401_001.xml", many::write);
        assertThat(Files.size(land.resolve("CRGG_20260401_001.xml"))).isGreaterThan(GB);
        drop(land, "CRGG_20260401_002.xml", f -> oneHugeElement(f, GB));
        drop(land, "CRGG_20260401_003.xml", f -> oneHugeAttribute(f, 200L << 20));
        Path csv = procurement.resolve("cgjg_2026040110.csv");
        unbalancedQuoteCsv(procurement.resolve("cgjg_2026040110.csv.tmp"), 150L << 20);
        Files.move(procurement.resolve("cgjg_2026040110.csv.tmp"), csv, StandardCopyOption.ATOMIC_MOVE);

        long records = PARCELS + 2 + 1 + CSV_ROWS;
        System.out.printf("big files generated in %d s%n", (System.nanoTime() - t0) / 1_000_000_000);
        List<String> out = runChild(land, procurement, 4, records);
        System.out.println("child hub: " + line(out, "SECONDS ") + ", " + line(out, "RESULT "));

        String result = line(out, "RESULT ");
        assertThat(out).noneMatch(l -> l.contains("OutOfMemoryError"));
        assertThat(result).contains("records=" + records).contains("files=4").contains("maxHeapMb=256");
        List<String> quarantine = out.stream().filter(l -> l.startsWith("QUARANTINE ")).toList();
        assertThat(quarantine).hasSize(3);
        assertThat(line(quarantine, "CRGG_20260401_002.xml")).contains("HUGE-1")
                .contains("Transfer is larger than 1048576 bytes").contains("max-transfer-size");
        assertThat(line(quarantine, "CRGG_20260401_003.xml")).contains("ATTR-1")
                .contains("a tag (an attribute value) starting on line")
                .contains("longer than 1048576 bytes").contains("the 1 Transfers before line");
        assertThat(line(quarantine, "cgjg_2026040110.csv")).contains("line " + (CSV_ROWS + 2))
                .contains("unbalanced quote");
        assertThat(line(out, "FILE CRGG_20260401_001.xml")).endsWith("| " + PARCELS);
        assertThat(line(out, "FILE CRGG_20260401_002.xml")).endsWith("| 2");
    }

    /** The child hub, -Xmx256m, until it prints its result. */
    private List<String> runChild(Path land, Path procurement, int files, long records) throws Exception {
        Path log = dir.resolve("child.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                "-Dfile.encoding=UTF-8", "-cp", classpath(), BigFileHub.class.getName(),
                "--dir=" + dir, "--land-drop=" + land, "--procurement-drop=" + procurement, "--files=" + files,
                "--records=" + records, "--deadline=600")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Process child = pb.start();
        try {
            // Generous: about two minutes alone on the 2-core machine, several times that while it is shared.
            boolean ended = child.waitFor(660, TimeUnit.SECONDS);
            List<String> out = Files.readAllLines(log, StandardCharsets.UTF_8);
            assertThat(ended).as("the child hub ended in time; its output:%n%s", tail(out)).isTrue();
            assertThat(child.exitValue()).as("exit code (3 = OutOfMemoryError, 2 = deadline); output:%n%s",
                    tail(out)).isZero();
            return out;
        } finally {
            child.destroyForcibly();
        }
    }

    /**
     * This JVM's classpath without empty entries: Surefire's holds one, which a child JVM reads as the
     * working directory, where routes/*.yaml would then be found a second time.
     */
    private static String classpath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> !e.isBlank()).collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    interface Content {
        void write(Path target) throws IOException;
    }

    /** Writes the export, then its .ok companion: the adapter reads it only then. */
    private static void drop(Path folder, String name, Content content) throws IOException {
        content.write(folder.resolve(name));
        Files.createFile(folder.resolve(name + ".ok"));
    }

    private static void oneHugeElement(Path file, long bytes) throws IOException {
        try (Writer w = writer(file, StandardCharsets.UTF_8)) {
            w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LandTransferExport region=\"370783\" count=\"3\">\n");
            w.write(transfer("HUGE-0", ""));
            w.write("  <Transfer>\n    <ParcelNo>HUGE-1</ParcelNo>\n    <Location>");
            String chunk = "寿光市圣城街道某某路东侧".repeat(40) + "\n";
            long chunkBytes = chunk.getBytes(StandardCharsets.UTF_8).length;
            for (long n = 0; n < bytes; n += chunkBytes) {
                w.write(chunk);
            }
            w.write("</Location>\n    <Method>挂牌</Method>\n    <AnnouncedAt>2026-03-01T09:00:00</AnnouncedAt>\n"
                    + "    <Status>公告中</Status>\n    <UpdatedAt>2026-03-14T09:00:00</UpdatedAt>\n  </Transfer>\n");
            w.write(transfer("HUGE-2", ""));
            w.write("</LandTransferExport>\n");
        }
    }

    private static void oneHugeAttribute(Path file, long bytes) throws IOException {
        try (Writer w = writer(file, StandardCharsets.UTF_8)) {
            w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LandTransferExport region=\"370783\" count=\"3\">\n");
            w.write(transfer("ATTR-0", ""));
            w.write("  <Transfer>\n    <ParcelNo>ATTR-1</ParcelNo>\n    <Winner type=\"ORG\" creditCode=\"");
            String chunk = "9135010".repeat(100);
            for (long n = 0; n < bytes; n += chunk.length()) {
                w.write(chunk);
            }
            w.write("\">寿光市某某置业有限公司</Winner>\n  </Transfer>\n");
            w.write(transfer("ATTR-2", ""));
            w.write("</LandTransferExport>\n");
        }
    }

    private static String transfer(String parcelNo, String extra) {
        return "  <Transfer>\n    <ParcelNo>" + parcelNo + "</ParcelNo>\n    <Method>挂牌</Method>\n"
                + "    <AnnouncedAt>2026-03-01T09:00:00</AnnouncedAt>\n    <Status>公告中</Status>\n"
                + "    <UpdatedAt>2026-03-14T09:00:00</UpdatedAt>\n" + extra + "  </Transfer>\n";
    }

    /** GBK: the header, CSV_ROWS good rows, then a row whose quote never closes, followed by {@code tail} bytes. */
    private static void unbalancedQuoteCsv(Path file, long tail) throws IOException {
        Charset gbk = Charset.forName("GBK");
        try (Writer w = writer(file, gbk)) {
            w.write("项目编号,项目名称,采购单位编码,采购单位,区划,采购方式,预算金额,中标金额,中标供应商,供应商信用代码,公告日期,"
                    + "合同签订日期,状态,更新时间\r\n");
            for (int i = 0; i < CSV_ROWS; i++) {
                w.write(String.format("BIG-%05d,寿光市第一中学教学设备采购,sgjyj,寿光市教育和体育局,370783,公开招标,"
                        + "\"1,234,500.00\",\"1,198,000.00\",潍坊某某教学设备有限公司,91350100M000100Y43,2026-03-02,"
                        + "2026-03-20,已签约,2026-03-20 16:30:00\r\n", i));
            }
            w.write("BIG-QUOTE,\"市政府机关办公家具采购(含安装,调试),WFJGSWJ\r\n");
            String chunk = "潍坊市机关事务服务中心,370700,邀请招标,860000,,,,2026-03-05,,已公告,2026-03-05 09:00:00\r\n";
            long chunkBytes = chunk.getBytes(gbk).length;
            for (long n = 0; n < tail; n += chunkBytes) {
                w.write(chunk);
            }
        }
    }

    private static Writer writer(Path file, Charset cs) throws IOException {
        OutputStream out = Files.newOutputStream(file);
        return new BufferedWriter(new OutputStreamWriter(out, cs), 1 << 16);
    }

    private static String line(List<String> lines, String containing) {
        return lines.stream().filter(l -> l.contains(containing)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with '" + containing + "' in:\n" + tail(lines)));
    }

    private static String tail(List<String> lines) {
        List<String> t = new ArrayList<>(lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        return String.join("\n", t);
    }
}
