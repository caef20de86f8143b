package io.harmonia.ability;

import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.Publication;
import io.harmonia.rpc.RemoteObject;

/**
 * The training run of a bundle's AOT cache ({@code AppMain --aot-train <srcEntry class>...}), run once at install
 * time with exactly the class path and JVM options of the bundle's app processes. It takes the path of a real app
 * process, in this one JVM: the RPC runtime starts, a stand-in ability manager is published at a private address,
 * the process connects and attaches to it through {@link AppMain#attach}, and the stand-in schedules a UIAbility
 * through the app thread (create, foreground, background, destroy) and a dump. Then the bundle's own ability classes
 * are loaded and linked without being initialised: none of the app's code runs. The JVM records what was loaded,
 * linked and profiled, and the cache created from that makes the next real start skip that work.
 */
final class AotTraining
{
    private AotTraining()
    {
    }

    static void run(final String[] abilityClasses)
    {
        final String address = "@harmonia.aot-train." + ProcessHandle.current().pid();
        try (Publication publication = IPCSkeleton.publish(address, new StandInManager()))
        {
            final AppMain.Attachment attachment = AppMain.attach(publication.address(), () -> { });
            final IRemoteObject thread = StandInManager.thread;
            final Want want = Want.builder().bundleName(attachment.application().bundleName())
                .abilityName("Training").parameter("aot", true).build();
            schedule(thread, AppThreadProtocol.SCHEDULE_LAUNCH_ABILITY, "Training", TrainingAbility.class.getName(),
                want);
            schedule(thread, AppThreadProtocol.SCHEDULE_BACKGROUND, "Training", null, null);
            schedule(thread, AppThreadProtocol.SCHEDULE_DESTROY, "Training", null, null);
            schedule(thread, AppThreadProtocol.DUMP, null, null, null);
        }
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
        System.exit(0);
    }

    private static void schedule(final IRemoteObject thread, final int code, final String abilityName,
        final String srcEntry, final Want want)
    {
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            if (null != abilityName)
            {
                data.writeString(abilityName);
            }
            if (null != srcEntry)
            {
                data.writeString(srcEntry);
                want.writeTo(data);
            }
            ServiceReply.call(thread, code, data, reply, 5_000, "aot training step " + code);
        }
    }

    /** Answers an attach like the ability manager does, with a made-up bundle. */
    private static final class StandInManager extends RemoteObject
    {
        static volatile IRemoteObject thread;

        StandInManager()
        {
            super(AbilityManagerProtocol.DESCRIPTOR);
        }

        @Override
        protected boolean onRemoteMessageRequest(final int code, final MessageSequence data,
            final MessageSequence reply, final MessageOption option)
        {
            if (AbilityManagerProtocol.ATTACH_APPLICATION != code)
            {
                return false;
            }
            thread = data.readRemoteObject();
            reply.writeInt(ServiceReply.OK);
            reply.writeInt((int)ProcessHandle.current().pid());
            new ApplicationInfo("aot.training", 1, IPCSkeleton.getCallingUid(), "/", "/").writeTo(reply);
            return true;
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
