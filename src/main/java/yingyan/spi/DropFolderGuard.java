package yingyan.spi;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.SftpATTRS;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.apache.camel.component.file.remote.SftpRemoteFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import yingyan.canonical.ResidentIds;

/**
 * The {@code filter} of a drop folder's file or SFTP consumer: an export is read only if it is a regular
 * file that really lies in the folder. A symbolic link (to {@code /etc/passwd}, to another department's
 * folder, to a 10 GB log), a FIFO (whose read blocks the consumer for good), a device or a socket is
 * refused before a byte of it is read: it stays where it is, the rest of the folder goes on, and the
 * refusal is a quarantine entry with its reason (once per name and reason while the hub runs, not once per
 * poll). Names that do not match the adapter's own pattern are left to the endpoint's include option.
 * <p>
 * Locally the entry is examined without following links, and its real path must start with the folder's
 * real path. On SFTP, the listing's attributes are the entry's own (READDIR answers with lstat): a link or
 * anything not regular is refused there, so a regular entry listed in the folder is, by construction, in it.
 */
public final class DropFolderGuard implements GenericFileFilter<Object> {
    private static final Logger log = LoggerFactory.getLogger(DropFolderGuard.class);

    private final String adapter;
    private final Pattern include;
    private final Path folder;
    private final Quarantine quarantine;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    /**
     * @param include the adapter's export name pattern (a regular expression over the file name)
     * @param folder  the local drop folder, or null for an SFTP drop box
     */
    public DropFolderGuard(String adapter, String include, Path folder, Quarantine quarantine) {
        this.adapter = adapter;
        this.include = Pattern.compile(include);
        this.folder = folder == null ? null : folder.toAbsolutePath().normalize();
        this.quarantine = quarantine;
    }

    @Override
    public boolean accept(GenericFile<Object> file) {
        String name = file.getFileNameOnly();
        if (file.isDirectory() || name == null || !include.matcher(name).matches()) {
            return true;
        }
        String refusal = file.getFile() instanceof SftpRemoteFile<?> remote ? remote(name, remote) : local(file);
        if (refusal == null) {
            return true;
        }
        refuse(name, file.getAbsoluteFilePath(), refusal);
        return false;
    }

    private String local(GenericFile<Object> file) {
        Path path = file.getFile() instanceof File f ? f.toPath() : Path.of(file.getAbsoluteFilePath());
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isSymbolicLink()) {
                return "is a symbolic link (to " + Files.readSymbolicLink(path) + "), not an export: refused unread";
            }
            if (!a.isRegularFile()) {
                return "is not a regular file (a FIFO, device or socket), not an export: refused unread";
            }
            Path real = path.toRealPath();
            Path root = folder.toRealPath();
            if (!real.startsWith(root)) {
                return "lies outside the drop folder " + root + " (its real path is " + real + "): refused unread";
            }
            return null;
        } catch (IOException e) {
            return "cannot be examined (" + e.getClass().getSimpleName() + ": " + e.getMessage() + "): refused unread";
        }
    }

    private static String remote(String name, SftpRemoteFile<?> remote) {
        if (name.contains("/") || name.equals("..")) {
            return "names a path, not a file in the drop box: refused unread";
        }
        if (remote.getRemoteFile() instanceof ChannelSftp.LsEntry entry) {
            SftpATTRS a = entry.getAttrs();
            if (a.isLink()) {
                return "is a symbolic link on the SFTP server, not an export: refused unread";
            }
            if (!a.isReg()) {
                return "is not a regular file on the SFTP server, not an export: refused unread";
            }
        }
        return null;
    }

    private void refuse(String name, String where, String reason) {
        if (!reported.add(name + "\n" + reason)) {
            return;
        }
        // A file name (and a link's target) may carry a resident ID: only its masked form is stored or logged.
        String shown = ResidentIds.maskAll(name);
        String full = ResidentIds.maskAll(name + " " + reason
                + "; it stays where it is and the rest of the drop folder is read");
        log.warn("{}: {}", adapter, full);
        // What is quarantined is the refusal itself: the entry's content is never read.
        byte[] raw = (where + "\n" + reason).getBytes(StandardCharsets.UTF_8);
        try {
            quarantine.add(adapter, shown, shown, "(file)", full, Payloads.sha256(raw), raw, StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            reported.remove(name + "\n" + reason); // the database is away: filed on a later poll
            log.warn("{}: could not quarantine the refusal of {}: {}", adapter, shown,
                    ResidentIds.maskAll(String.valueOf(e.getMessage())));
        }
    }
}
