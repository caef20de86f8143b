package io.harmonia.bindings;

/**
 * libharmonia cannot be used in this JVM. The message says why and names the fix (a missing
 * {@code --enable-native-access} flag, no library for this platform, a library of another version).
 */
public final class NativeLibraryError extends LinkageError
{
    private static final long serialVersionUID = 1L;

    NativeLibraryError(final String message)
    {
        super(message);
    }

    NativeLibraryError(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
