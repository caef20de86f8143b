package example;

import io.harmonia.bindings.Harmonia;
import io.harmonia.runtime.RuntimeInfo;

/** Loads libharmonia from the installed artifacts and prints its version. */
public final class Hello
{
    private Hello()
    {
    }

    /**
     * Entry point.
     *
     * @param args unused.
     */
    public static void main(final String[] args)
    {
        final String location = Harmonia.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        if (!location.endsWith(".jar"))
        {
            throw new IllegalStateException("expected the bindings from an installed jar, got " + location);
        }
        System.out.println("Hello from " + RuntimeInfo.current().describe());
        System.out.println("bindings loaded from " + location);
    }
}
