package io.harmonia.spawn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The access-token table the appspawn daemon keeps (docs/protocols.md, section 9): which access token id the app
 * with a given pid was started with. This is where a process learns a peer's token: the peer's pid comes from the
 * kernel ({@code SO_PEERCRED}), never from the peer's own bytes, and the daemon, not the app, wrote the entry.
 *
 * <p>The daemon writes {@code DIR/<pid>} once the app has reported ready, one line {@code "<accessTokenId>
 * <starttime>"} (the start time is field 22 of {@code /proc/<pid>/stat}), and removes it when it reaps the app. An
 * entry is trusted only when the directory and the file belong to root or to the configured daemon uid and are
 * neither group- nor world-writable (so nobody else can have written them), the file is a regular file (not a
 * link), and the recorded start time is that of the process now holding the pid (a reused pid reads as no
 * entry). Anything else, and any entry that does not parse, reads as no token: a lookup never throws for what it
 * finds on disk.
 *
 * <p>Threads: instances are immutable; {@link #lookup} reads the file system each time and may be called from any
 * thread.
 */
public final class AccessTokenTable
{
    /** System property naming the table's directory for {@link #system()}. */
    public static final String DIRECTORY_PROPERTY = "harmonia.tokens.dir";
    /** The daemon's default {@code --token-dir}. */
    public static final Path DEFAULT_DIRECTORY = Path.of("/run/harmonia/tokens");

    private static final int ROOT = 0;
    private static final int GROUP_OR_OTHER_WRITE = 0022;
    private static final int LONGEST_ENTRY = 64;

    private final Path directory;
    private final int daemonUid;

    /**
     * A table whose entries may also belong to a daemon running as another uid than root.
     *
     * @param directory the daemon's {@code --token-dir}.
     * @param daemonUid the daemon's uid, trusted besides root.
     */
    public AccessTokenTable(final Path directory, final int daemonUid)
    {
        this.directory = directory.toAbsolutePath();
        this.daemonUid = daemonUid;
    }

    /**
     * A table written by a daemon running as root.
     *
     * @param directory the daemon's {@code --token-dir}.
     * @return the table.
     */
    public static AccessTokenTable of(final Path directory)
    {
        return new AccessTokenTable(directory, ROOT);
    }

    /**
     * The system's table: {@value #DIRECTORY_PROPERTY} if set, else {@link #DEFAULT_DIRECTORY}; root's.
     *
     * @return the table.
     */
    public static AccessTokenTable system()
    {
        final String configured = System.getProperty(DIRECTORY_PROPERTY);
        return of(null == configured ? DEFAULT_DIRECTORY : Path.of(configured));
    }

    /**
     * The table's directory.
     *
     * @return an absolute path.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * The access token id the daemon started a process with.
     *
     * @param pid a process id, as the kernel reported it (for example through {@code SO_PEERCRED}).
     * @return the token id (0..4294967295), or empty when the process was not started by the daemon, has gone, or
     *         the entry is not one to trust.
     */
    public OptionalLong lookup(final int pid)
    {
        if (pid <= 0)
        {
            return OptionalLong.empty();
        }
        try
        {
            final Path entry = directory.resolve(Integer.toString(pid));
            if (!trusted(directory, true) || !trusted(entry, false))
            {
                return OptionalLong.empty();
            }
            final byte[] bytes = Files.readAllBytes(entry);
            if (bytes.length > LONGEST_ENTRY)
            {
                return OptionalLong.empty();
            }
            final String[] fields = parse(new String(bytes, StandardCharsets.US_ASCII));
            if (null == fields)
            {
                return OptionalLong.empty();
            }
            final long token = Long.parseLong(fields[0]);
            final long recorded = Long.parseLong(fields[1]);
            final long live = startTime(pid);
            if (token > 0xFFFF_FFFFL || live < 0 || live != recorded)
            {
                return OptionalLong.empty();
            }
            return OptionalLong.of(token);
        }
        catch (final IOException | NumberFormatException | UnsupportedOperationException ex)
        {
            return OptionalLong.empty();
        }
    }

    /** The two fields of "<token> <starttime>\n", each 1..19 decimal digits; null for anything else. */
    private static String[] parse(final String text)
    {
        if (!text.endsWith("\n"))
        {
            return null;
        }
        final String[] fields = text.substring(0, text.length() - 1).split(" ", -1);
        if (2 != fields.length)
        {
            return null;
        }
        for (final String field : fields)
        {
            if (field.isEmpty() || field.length() > 19 || !field.chars().allMatch(c -> c >= '0' && c <= '9'))
            {
                return null;
            }
        }
        return fields;
    }

    private boolean trusted(final Path path, final boolean directoryExpected) throws IOException
    {
        final Map<String, Object> attributes = Files.readAttributes(path, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
        final int uid = (Integer)attributes.get("uid");
        final int mode = (Integer)attributes.get("mode");
        final int type = mode & 0170000;
        final boolean rightType = directoryExpected ? 0040000 == type : 0100000 == type;
        return rightType && (ROOT == uid || daemonUid == uid) && 0 == (mode & GROUP_OR_OTHER_WRITE);
    }

    /**
     * Field 22 of {@code /proc/<pid>/stat}: the process's start time in clock ticks since boot.
     *
     * @param pid a process id.
     * @return the start time, or -1 when there is no such process.
     * @throws IOException when the file cannot be read for another reason.
     */
    static long startTime(final int pid) throws IOException
    {
        final String stat;
        try
        {
            stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.ISO_8859_1);
        }
        catch (final NoSuchFileException gone)
        {
            return -1;
        }
        // The name (field 2) may hold spaces and parentheses: the fields after it start after the last ')'.
        final String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(rest[22 - 3]);
    }
}
