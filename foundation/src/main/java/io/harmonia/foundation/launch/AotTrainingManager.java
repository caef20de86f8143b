package io.harmonia.foundation.launch;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.harmonia.ability.AbilityManagerProtocol;
import io.harmonia.ability.AppThreadProtocol;
import io.harmonia.ability.ApplicationInfo;
import io.harmonia.ability.ServiceReply;
import io.harmonia.ability.Want;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RemoteObject;

/**
 * The stand-in ability manager an AOT training run attaches to (io.harmonia.ability.AotTraining): published by the
 * installing foundation at a private address for the length of one run. It answers the attach as the ability
 * manager does, then {@link #drive} schedules the runtime's training ability through the app thread (launch,
 * background, destroy, dump) and the exit, so the training run follows the real app-process paths across two
 * processes. Any caller may attach (the address is private and random); the first attach wins.
 */
final class AotTrainingManager extends RemoteObject
{
    private static final String TRAINING_ABILITY = "io.harmonia.ability.AotTraining$TrainingAbility";
    private static final long STEP_MILLIS = 30_000;

    private final ApplicationInfo application;
    private final CompletableFuture<IRemoteObject> thread = new CompletableFuture<>();

    AotTrainingManager(final ApplicationInfo application)
    {
        super(AbilityManagerProtocol.DESCRIPTOR);
        this.application = application;
    }

    @Override
    protected boolean onRemoteMessageRequest(final int code, final MessageSequence data, final MessageSequence reply,
        final MessageOption option)
    {
        if (AbilityManagerProtocol.ATTACH_APPLICATION != code || thread.isDone())
        {
            return false;
        }
        final IRemoteObject attached = data.readRemoteObject();
        reply.writeInt(ServiceReply.OK);
        reply.writeInt((int)ProcessHandle.current().pid());
        application.writeTo(reply);
        thread.complete(attached);
        return true;
    }

    /**
     * Waits for the training process to attach, then schedules its work and its exit.
     *
     * @param timeoutSeconds the longest wait for the attach.
     * @return null when done, else what failed.
     */
    String drive(final long timeoutSeconds)
    {
        final IRemoteObject app;
        try
        {
            app = thread.get(timeoutSeconds, TimeUnit.SECONDS);
        }
        catch (final TimeoutException late)
        {
            return "the training run did not attach within " + timeoutSeconds + " s";
        }
        catch (final ExecutionException | InterruptedException failed)
        {
            return "the training run did not attach: " + failed;
        }
        try
        {
            final Want want = Want.builder().bundleName(application.bundleName()).abilityName("Training")
                .parameter("aot", true).build();
            call(app, AppThreadProtocol.SCHEDULE_LAUNCH_ABILITY, data ->
            {
                data.writeString("Training");
                data.writeString(TRAINING_ABILITY);
                want.writeTo(data);
            });
            call(app, AppThreadProtocol.SCHEDULE_BACKGROUND, data -> data.writeString("Training"));
            call(app, AppThreadProtocol.SCHEDULE_FOREGROUND, data -> data.writeString("Training"));
            call(app, AppThreadProtocol.SCHEDULE_DESTROY, data -> data.writeString("Training"));
            call(app, AppThreadProtocol.DUMP, data -> { });
            try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
            {
                app.sendMessageRequestSync(AppThreadProtocol.SCHEDULE_EXIT, data, reply, new MessageOption(true));
            }
            return null;
        }
        catch (final RuntimeException failed)
        {
            return "scheduling the training run failed: " + failed.getMessage();
        }
    }

    private static void call(final IRemoteObject app, final int code,
        final java.util.function.Consumer<MessageSequence> write)
    {
        ServiceReply.request(app, code, STEP_MILLIS, "training step " + code, write, reply -> null);
    }
}
