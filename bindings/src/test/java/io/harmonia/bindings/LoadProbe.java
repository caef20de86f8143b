package io.harmonia.bindings;

/** Run in a separate JVM by {@link NativeLibraryTest}: prints the version, or the load error and exits 3. */
public final class LoadProbe
{
    private LoadProbe()
    {
    }

    /**
     * Entry point.
     *
     * @param args unused.
     */
    public static void main(final String[] args)
    {
        try
        {
            System.out.println("version=" + Harmonia.version());
        }
        catch (final NativeLibraryError ex)
        {
            System.out.println("error=" + ex.getMessage());
            // The same clear error on every later use, not a class-initialisation failure.
            try
            {
                Harmonia.features();
            }
            catch (final NativeLibraryError again)
            {
                System.out.println("again=" + again.getMessage());
            }
            System.exit(3);
        }
    }
}
