package io.harmonia.samgr;

/**
 * samgr's {@value Samgr#BOOTSTRAP_SERVICE} service: it receives the boot messages, tells the {@link BootListener}s on
 * its own task thread, and answers to its own task, so that the response handler (which starts the next phase) runs
 * there too, after the listeners have registered the next phase's services.
 */
final class BootstrapService implements Service
{
    private final Samgr samgr;
    private volatile Identity identity;

    BootstrapService(final Samgr samgr)
    {
        this.samgr = samgr;
    }

    @Override
    public String getName()
    {
        return Samgr.BOOTSTRAP_SERVICE;
    }

    @Override
    public void initialize(final Identity serviceIdentity)
    {
        identity = serviceIdentity;
    }

    @Override
    public void messageHandle(final Request request)
    {
        switch (request.msgId())
        {
            case Samgr.BOOT_SYS_COMPLETED -> samgr.notifyBootListeners(BootPhase.SYSTEM);
            case Samgr.BOOT_APP_COMPLETED -> samgr.notifyBootListeners(BootPhase.APP);
            case Samgr.BOOT_REG_SERVICE -> samgr.notifyBootListeners(BootPhase.DYNAMIC);
            default ->
            {
                // Not a boot message: nothing to do; a waiting sender gets the automatic empty response.
            }
        }
        if (Samgr.BOOT_REG_SERVICE != request.msgId())
        {
            samgr.sendResponseByIdentity(identity, request, null);
        }
    }

    @Override
    public TaskConfig getTaskConfig()
    {
        return TaskConfig.shared(TaskConfig.PRI_NORMAL);
    }
}
