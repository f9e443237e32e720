package yingyan.adapters.landtransfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import yingyan.spi.AdapterMonitor;
import yingyan.testsupport.Hubs;

/**
 * The SFTP drop box without a reachable server: with {@code sftp-uri} set, the
 * route {@code land-transfer-sftp-source} runs next to the local one; an unreachable server shows as the
 * adapter's reason (without the password, in health or in the log), backs off, and does not hold up the
 * local drop folder. Reading files over SFTP (against an embedded server) is {@link LandTransferSftpReadTest}.
 */
@ExtendWith(OutputCaptureExtension.class)
class LandTransferSftpTest {
    static final String PASSWORD = "sftp-secret-4711";

    @TempDir
    Path dir;

    @Test
    void anUnreachableSftpDropBoxIsReportedWithoutItsPasswordAndTheLocalFolderGoesOn(CapturedOutput output)
            throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Path drop = Files.createDirectories(dir.resolve("drop"));
        try (ConfigurableApplicationContext hub = Hubs.start(Map.of(
                "hub.adapters.land-transfer.enabled", "true",
                "hub.adapters.land-transfer.drop-dir", drop.toAbsolutePath(),
                "hub.adapters.land-transfer.poll-interval", "200ms",
                "hub.adapters.land-transfer.sftp-uri", "sftp://hub@127.0.0.1:" + closedPort + "/crgg",
                "hub.adapters.land-transfer.sftp-password", PASSWORD,
                "hub.adapters.land-transfer.sftp-strict-host-key-checking", "false",
                "hub.adapters.land-transfer.sftp-work-dir", dir.resolve("work").toAbsolutePath()))) {
            CamelContext camel = hub.getBean(CamelContext.class);
            assertThat(camel.getRouteController().getRouteStatus(LandTransferRoute.SFTP_ROUTE_ID).isStarted()).isTrue();
            AdapterMonitor.AdapterState state = hub.getBean(AdapterMonitor.class).state("land-transfer");

            await().atMost(Duration.ofSeconds(60)).until(() -> state.failing() && state.lastError() != null);
            assertThat(state.lastError()).contains("cannot read the drop box").contains("127.0.0.1:" + closedPort)
                    .doesNotContain(PASSWORD);

            Files.writeString(drop.resolve("CRGG_20260321_001.xml"), LandTransferRouteTest.export("370783",
                    LandTransferRouteTest.transfer("LOCAL-1", "2026-03-20T10:00:00", "1.00")));
            Files.createFile(drop.resolve("CRGG_20260321_001.xml.ok"));
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(drop.resolve("done/CRGG_20260321_001.xml")));
            JdbcTemplate jdbc = hub.getBean(JdbcTemplate.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                    "SELECT COUNT(*) FROM record WHERE record_id = 'land-transfer:LOCAL-1'", Integer.class) == 1);
        }
        assertThat(output.getAll()).contains("cannot read the drop box").doesNotContain(PASSWORD);
    }
}
