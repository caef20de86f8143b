package io.harmonia.ability;

import java.util.concurrent.CountDownLatch;

import io.harmonia.rpc.DeathRecipient;

/**
 * The main class of a Java app process. The bundle's launch file starts the JVM with {@code AppMain --ams
 * <address>} (or {@code --aot-train <address> <class>...} for the install-time training run, {@link AotTraining}); the
 * process then:
 * <ol>
 *   <li>connects to the ability manager at the address and registers a death recipient on it: when foundation
 *       dies, this process halts at once (no app process outlives the manager that started it);</li>
 *   <li>attaches with its app-thread object; the manager checks the caller's kernel pid and uid against the process
 *       it started and answers with the bundle's {@link ApplicationInfo} (identity from the bundle database, not
 *       from anything this process says);</li>
 *   <li>runs what the manager schedules through the app thread, on RPC threads, until it is killed.</li>
 * </ol>
 * Exit statuses: 0 when the manager asked it to exit ({@link AppThreadProtocol#SCHEDULE_EXIT}), 1 the manager
 * died, 2 bad arguments, 3 attach failed.
 */
public final class AppMain
{
    /** The exit status when the ability manager dies. */
    public static final int MANAGER_DIED = 1;
    /** The exit status for bad arguments. */
    public static final int USAGE = 2;
    /** The exit status when attaching failed. */
    public static final int ATTACH_FAILED = 3;

    private AppMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args {@code --ams <address>}, or {@code --aot-train <address> <srcEntry class>...}.
     */
    public static void main(final String[] args)
    {
        if (args.length >= 2 && "--aot-train".equals(args[0]))
        {
            AotTraining.run(args[1], java.util.Arrays.copyOfRange(args, 2, args.length));
            return;
        }
        if (2 != args.length || !"--ams".equals(args[0]))
        {
            System.err.println("usage: AppMain --ams <address> | --aot-train <address> <srcEntry class>...");
            System.exit(USAGE);
            return;
        }
        final Attachment attachment;
        try
        {
            attachment = attach(args[1], () ->
            {
                System.err.println("harmonia app " + ProcessHandle.current().pid()
                    + ": the ability manager died; exiting");
                Runtime.getRuntime().halt(MANAGER_DIED);
            });
        }
        catch (final ServiceException failed)
        {
            System.err.println("harmonia app " + ProcessHandle.current().pid() + ": " + failed.getMessage());
            System.exit(ATTACH_FAILED);
            return;
        }
        System.out.println("harmonia app " + attachment.application().bundleName() + " attached as pid "
            + ProcessHandle.current().pid());
        System.out.flush();
        awaitForever();
    }

    /** An attached process: the manager and what it said. */
    record Attachment(AbilityManagerClient manager, ApplicationInfo application, ApplicationThread thread)
    {
    }

    /**
     * Connects, watches the manager's death and attaches: the path every app process (and the AOT training run)
     * takes.
     */
    static Attachment attach(final String address, final DeathRecipient onManagerDeath)
    {
        final AbilityManagerClient manager = AbilityManagerClient.at(address);
        manager.remote().registerDeathRecipient(onManagerDeath, 0);
        final ApplicationThread thread = new ApplicationThread(new AbilityHost());
        final AbilityManagerClient.Attached attached = manager.attach(thread);
        thread.bind(attached.application(), attached.managerPid(), manager.connector());
        return new Attachment(manager, attached.application(), thread);
    }

    private static void awaitForever()
    {
        final CountDownLatch never = new CountDownLatch(1);
        while (true)
        {
            try
            {
                never.await();
            }
            catch (final InterruptedException ignored)
            {
                // an app process ends by a signal or by the manager's death, never by an interrupt
            }
        }
    }
}
