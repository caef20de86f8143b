package io.harmonia.samgr;

/**
 * A feature of a service (OpenHarmony's {@code Feature}). Its lifecycle and messages run on its service's task
 * thread: {@link #onInitialize} when the service initialises, {@link #onMessage} for each request addressed to the
 * feature, {@link #onStop} when it is unregistered.
 */
public interface Feature
{
    /**
     * The feature's name, unique in its service: 1 to 15 bytes of UTF-8. samgr reads it once, at registration.
     *
     * @return the name.
     */
    String getName();

    /**
     * Runs on the service's task thread right after the service's own {@link Service#initialize(Identity)}.
     *
     * @param parent   the service.
     * @param identity where the feature receives messages.
     */
    void onInitialize(Service parent, Identity identity);

    /**
     * Runs on the service's task thread (inline when the service has no task) when the feature is unregistered.
     *
     * @param identity the service's identity with feature id {@link Identity#SERVICE_ONLY} (as OpenHarmony passes).
     */
    void onStop(Identity identity);

    /**
     * Handles a request addressed to this feature; the automatic response rule of
     * {@link Service#messageHandle(Request)} applies.
     *
     * @param request the request.
     */
    void onMessage(Request request);

    /**
     * Whether the feature is offered to other devices ({@code IsDistributed} of {@code INHERIT_FEATURE}).
     *
     * @return false unless overridden.
     */
    default boolean isDistributed()
    {
        return false;
    }

    /**
     * A feature whose lifecycle does nothing: its API carries the work (an exported API, for one). samgr still runs
     * its requests' automatic responses.
     *
     * @param name 1 to 15 bytes of UTF-8.
     * @return the feature.
     */
    static Feature named(final String name)
    {
        return new Feature()
        {
            @Override
            public String getName()
            {
                return name;
            }

            @Override
            public void onInitialize(final Service parent, final Identity identity)
            {
            }

            @Override
            public void onStop(final Identity identity)
            {
            }

            @Override
            public void onMessage(final Request request)
            {
            }
        };
    }
}
