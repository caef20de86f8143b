package io.harmonia.foundation.bundle;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The installed bundles, kept in one JSON file ({@code bundles.json}) that is replaced atomically: a new version is
 * written to a temporary file, flushed to disk, renamed over the old one, and the folder is flushed. The rename is
 * the commit point of every install, update and uninstall; a process killed at any moment leaves either the old
 * file or the new one. Not thread-safe: the bundle manager serialises changes.
 *
 * <p>Ids are allocated as OpenHarmony's bundle manager does: the app id is the lowest free one from
 * {@value #BASE_APP_UID} below the highest in use, else the highest plus one, at most {@value #MAX_APP_UID}; the uid
 * is {@code userId * }{@value #BASE_USER_RANGE}{@code  + appId} and the gid equals it; an uninstalled bundle's id
 * becomes free again. The access token id has OpenHarmony's layout (version 1 in bits 29..31, type HAP = 0 in bits
 * 27..28) with a random unique 20-bit id.
 */
public final class BundleDatabase
{
    /** The first app id. */
    public static final int BASE_APP_UID = 10000;
    /** The last app id. */
    public static final int MAX_APP_UID = 65535;
    /** The uids of one user. */
    public static final int BASE_USER_RANGE = 200000;
    /** OpenHarmony's first user, for whom bundles are installed. */
    public static final int DEFAULT_USER_ID = 100;
    /** The database format version. */
    public static final int FORMAT_VERSION = 1;

    private static final int TOKEN_VERSION = 1;
    private static final int TOKEN_UNIQUE_MASK = 0xFFFFF;
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final Path file;
    private final Map<String, BundleRecord> bundles = new TreeMap<>();
    private final SecureRandom random = new SecureRandom();

    /** The file's content. */
    record Stored(int version, List<BundleRecord> bundles)
    {
    }

    private BundleDatabase(final Path file)
    {
        this.file = file;
    }

    /**
     * Opens the database, reading the file when it exists.
     *
     * @param file the database file.
     * @return the database.
     * @throws IOException when the file exists and cannot be read or is not a database of this version.
     */
    public static BundleDatabase open(final Path file) throws IOException
    {
        final BundleDatabase database = new BundleDatabase(file);
        if (Files.exists(file))
        {
            final Stored stored = JSON.readValue(file.toFile(), Stored.class);
            if (FORMAT_VERSION != stored.version())
            {
                throw new IOException(file + ": format version " + stored.version() + ", this build reads "
                    + FORMAT_VERSION);
            }
            for (final BundleRecord record : stored.bundles())
            {
                database.bundles.put(record.bundleName(), record);
            }
        }
        return database;
    }

    /**
     * One bundle.
     *
     * @param bundleName its name.
     * @return its record, if installed.
     */
    public Optional<BundleRecord> get(final String bundleName)
    {
        return Optional.ofNullable(bundles.get(bundleName));
    }

    /**
     * The bundle of a uid.
     *
     * @param uid the uid.
     * @return its record, if a bundle has it.
     */
    public Optional<BundleRecord> byUid(final int uid)
    {
        return bundles.values().stream().filter(record -> record.uid() == uid).findFirst();
    }

    /**
     * The bundle of an access token id.
     *
     * @param tokenId the token id (unsigned 32 bits).
     * @return its record, if a bundle has it.
     */
    public Optional<BundleRecord> byAccessToken(final long tokenId)
    {
        return bundles.values().stream().filter(record -> Integer.toUnsignedLong(record.accessTokenId()) == tokenId)
            .findFirst();
    }

    /**
     * Every bundle, by name.
     *
     * @return the records.
     */
    public Collection<BundleRecord> all()
    {
        return List.copyOf(bundles.values());
    }

    /**
     * The app id a new bundle gets (nothing is recorded until {@link #commit}).
     *
     * @return the id.
     * @throws IllegalStateException when every id up to {@value #MAX_APP_UID} is taken.
     */
    public int nextBundleId()
    {
        final List<Integer> used = bundles.values().stream().map(BundleRecord::bundleId).sorted().toList();
        if (used.isEmpty())
        {
            return BASE_APP_UID;
        }
        final int highest = used.get(used.size() - 1);
        for (int id = BASE_APP_UID; id < highest; id++)
        {
            if (!used.contains(id))
            {
                return id;
            }
        }
        if (highest >= MAX_APP_UID)
        {
            throw new IllegalStateException("every app id " + BASE_APP_UID + ".." + MAX_APP_UID + " is in use");
        }
        return highest + 1;
    }

    /**
     * The uid of an app id for a user.
     *
     * @param userId   the user.
     * @param bundleId the app id.
     * @return the uid.
     */
    public static int uidOf(final int userId, final int bundleId)
    {
        return userId * BASE_USER_RANGE + bundleId % BASE_USER_RANGE;
    }

    /**
     * A new access token id, unique among the installed bundles.
     *
     * @return the id.
     */
    public int nextAccessTokenId()
    {
        while (true)
        {
            final int unique = random.nextInt(TOKEN_UNIQUE_MASK) + 1;
            final int token = TOKEN_VERSION << 29 | unique;
            if (bundles.values().stream().noneMatch(record -> record.accessTokenId() == token))
            {
                return token;
            }
        }
    }

    /**
     * Records a bundle (new or updated) and writes the file: the commit point of an install.
     *
     * @param record the record.
     * @throws IOException when the file cannot be written; the database is then unchanged.
     */
    public void commit(final BundleRecord record) throws IOException
    {
        final BundleRecord before = bundles.put(record.bundleName(), record);
        try
        {
            write();
        }
        catch (final IOException | RuntimeException failed)
        {
            restore(record.bundleName(), before);
            throw failed;
        }
    }

    /**
     * Forgets a bundle and writes the file: the commit point of an uninstall.
     *
     * @param bundleName the bundle.
     * @throws IOException when the file cannot be written; the database is then unchanged.
     */
    public void remove(final String bundleName) throws IOException
    {
        final BundleRecord before = bundles.remove(bundleName);
        try
        {
            write();
        }
        catch (final IOException | RuntimeException failed)
        {
            restore(bundleName, before);
            throw failed;
        }
    }

    private void restore(final String bundleName, final BundleRecord before)
    {
        if (null == before)
        {
            bundles.remove(bundleName);
        }
        else
        {
            bundles.put(bundleName, before);
        }
    }

    private void write() throws IOException
    {
        final Path folder = file.toAbsolutePath().getParent();
        final Path temporary = folder.resolve(file.getFileName() + ".tmp");
        final byte[] bytes = JSON.writeValueAsBytes(new Stored(FORMAT_VERSION, new ArrayList<>(bundles.values())));
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            channel.write(java.nio.ByteBuffer.wrap(bytes));
            channel.force(true);
        }
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
        try
        {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final AtomicMoveNotSupportedException impossible)
        {
            throw new IOException(folder + ": cannot rename atomically", impossible);
        }
        try (FileChannel directory = FileChannel.open(folder, StandardOpenOption.READ))
        {
            directory.force(true);
        }
    }
}
