package io.harmonia.samgr;

/**
 * A system service (OpenHarmony's {@code Service}). samgr calls {@link #initialize(Identity)} and
 * {@link #messageHandle(Request)} on the service's own task thread (chosen by {@link #getTaskConfig()}), or inline
 * for a {@link TaskType#NO_TASK} service.
 */
public interface Service
{
    /**
     * The service's name, unique in its samgr: 1 to 15 bytes of UTF-8 (OpenHarmony: "shorter than 16 bytes").
     * samgr reads it once, at registration.
     *
     * @return the name.
     */
    String getName();

    /**
     * Runs once on the service's task thread when {@link Samgr#bootstrap()} reaches the service.
     *
     * @param identity where the service receives messages; keep it to tell others.
     */
    void initialize(Identity identity);

    /**
     * Handles a request addressed to the service itself (feature id {@link Identity#SERVICE_ONLY}). If the sender
     * gave a handler and this method returns without {@link Samgr#sendResponse(Request, Response)}, samgr sends
     * {@link Response#EMPTY}.
     *
     * @param request the request.
     */
    void messageHandle(Request request);

    /**
     * How the service's task runs. samgr reads it once, at registration.
     *
     * @return the configuration.
     */
    TaskConfig getTaskConfig();

    /**
     * A service whose lifecycle does nothing, on a task its config chooses: a home for features and APIs that carry
     * the work (exported APIs run on this task).
     *
     * @param name   1 to 15 bytes of UTF-8.
     * @param config how its task runs.
     * @return the service.
     */
    static Service named(final String name, final TaskConfig config)
    {
        return new Service()
        {
            @Override
            public String getName()
            {
                return name;
            }

            @Override
            public void initialize(final Identity identity)
            {
            }

            @Override
            public void messageHandle(final Request request)
            {
            }

            @Override
            public TaskConfig getTaskConfig()
            {
                return config;
            }
        };
    }
}
