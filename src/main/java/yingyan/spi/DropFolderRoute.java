package yingyan.spi;

import static yingyan.spi.CamelUris.raw;

import java.nio.file.Path;
import org.apache.camel.model.RouteDefinition;

/**
 * Base of a file-drop adapter's source routes: its local drop folder and, when configured, the department's
 * SFTP drop box, each read through a {@link DropFolderGuard} (bound as {@code <route id>-guard}) so a link,
 * FIFO or other non-regular entry is refused unread and quarantined, and each failing back to the consumer
 * ({@link #fromDropFolder}). What the adapter's endpoint options are (include, sort, move, read lock) and
 * what processes a file stay with the adapter.
 */
public abstract class DropFolderRoute extends SourceRouteBuilder {
    private final Quarantine quarantine;

    protected DropFolderRoute(Quarantine quarantine) {
        this.quarantine = quarantine;
    }

    /**
     * The route reading the local folder {@code folder} ({@code options}: the file endpoint's query, without
     * the guard's {@code filter}); {@code include} is the adapter's export name pattern.
     */
    protected RouteDefinition fromLocalFolder(String adapterId, String routeId, String include, Path folder,
                                              String options, boolean enabled) {
        Path dir = folder.toAbsolutePath().normalize();
        return fromDropFolder("file:" + dir + "?" + options + "&filter=#" + guard(routeId, adapterId, include, dir),
                routeId, enabled);
    }

    /**
     * The route reading the SFTP drop box {@code sftpUri} ({@code sftp://user@host[:port]/folder};
     * {@code options}: the sftp endpoint's query, without the guard's {@code filter}).
     */
    protected RouteDefinition fromSftpBox(String adapterId, String routeId, String include, String sftpUri,
                                          String options, boolean enabled) {
        return fromDropFolder(sftpUri.trim() + "?" + options + "&filter=#" + guard(routeId, adapterId, include, null),
                routeId, enabled);
    }

    /** The SFTP login options: the password and the private key file, each only when set (as RAW values). */
    protected static String sftpLogin(String password, String privateKeyFile) {
        StringBuilder login = new StringBuilder();
        if (!password.isEmpty()) {
            login.append("&password=").append(raw(password));
        }
        if (!privateKeyFile.isBlank()) {
            login.append("&privateKeyFile=").append(raw(privateKeyFile));
        }
        return login.toString();
    }

    private String guard(String routeId, String adapterId, String include, Path folder) {
        String name = routeId + "-guard";
        getContext().getRegistry().bind(name, new DropFolderGuard(adapterId, include, folder, quarantine));
        return name;
    }
}
