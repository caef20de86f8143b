package io.harmonia.ability;

import java.util.concurrent.CountDownLatch;

/**
 * The training run of a bundle's AOT cache ({@code AppMain --aot-train <address> <srcEntry class>...}), run once at
 * install time with exactly the class path and JVM options of the bundle's app processes. It takes the path of a
 * real app process: the bundle's ability classes are loaded and linked without being initialised (none of the app's
 * code runs), then the process connects and attaches, through {@link AppMain#attach}, to a stand-in ability manager
 * that the installing foundation published at the address; the stand-in schedules a UIAbility of the runtime
 * ({@link TrainingAbility}) through the app thread (create, foreground, background, destroy, dump) and finally
 * {@link AppThreadProtocol#SCHEDULE_EXIT}, a normal exit, at which the JVM writes what it loaded, linked and
 * profiled. When the stand-in dies first, the run halts with status 1 and no cache is made.
 */
final class AotTraining
{
    private AotTraining()
    {
    }

    static void run(final String address, final String[] abilityClasses)
    {
        for (final String name : abilityClasses)
        {
            try
            {
                Class.forName(name, false, ClassLoader.getSystemClassLoader());
            }
            catch (final ClassNotFoundException | LinkageError ex)
            {
                System.err.println("aot training: " + name + " not loaded: " + ex);
            }
        }
        AppMain.attach(address, () -> Runtime.getRuntime().halt(AppMain.MANAGER_DIED));
        final CountDownLatch exit = new CountDownLatch(1);
        try
        {
            exit.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** The ability the training run schedules. */
    public static final class TrainingAbility extends UIAbility
    {
        /** For the host. */
        public TrainingAbility()
        {
        }
    }
}
