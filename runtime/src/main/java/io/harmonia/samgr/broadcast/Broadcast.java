package io.harmonia.samgr.broadcast;

import io.harmonia.samgr.IUnknown;
import io.harmonia.samgr.Samgr;

/**
 * Names and helpers of samgr's publish/subscribe service ({@code broadcast_interface.h}). Every {@link Samgr}
 * holds this service from the start; reach it like any other API:
 *
 * <pre>{@code
 * PubSubInterface pubSub = samgr.getFeatureApi(Broadcast.BROADCAST_SERVICE, Broadcast.PUB_SUB_FEATURE)
 *     .queryInterface(IUnknown.DEFAULT_VERSION, PubSubInterface.class);
 * }</pre>
 */
public final class Broadcast
{
    /** The service name ({@code BROADCAST_SERVICE}). */
    public static final String BROADCAST_SERVICE = "Broadcast";

    /**
     * The feature name ({@code PUB_SUB_FEATURE}). It is OpenHarmony's constant, 23 bytes long although names must
     * be shorter than 16 bytes: samgr registers it itself, and lookups take any name.
     */
    public static final String PUB_SUB_FEATURE = "Provider and subscriber";

    /** The message id of a publication ({@code MSG_PUBLISH}); its {@code msgValue} is the topic. */
    public static final int MSG_PUBLISH = 1;

    private Broadcast()
    {
    }

    /**
     * Looks up the publish/subscribe API of a samgr; the caller owes one {@link IUnknown#release()}.
     *
     * @param samgr the samgr.
     * @return the API.
     * @throws IllegalStateException if the samgr has no broadcast API (it always has, unless closed oddly).
     */
    public static PubSubInterface pubSub(final Samgr samgr)
    {
        final IUnknown api = samgr.getFeatureApi(BROADCAST_SERVICE, PUB_SUB_FEATURE);
        final PubSubInterface pubSub = null == api ? null
            : api.queryInterface(IUnknown.DEFAULT_VERSION, PubSubInterface.class);
        if (null == pubSub)
        {
            throw new IllegalStateException("samgr has no " + BROADCAST_SERVICE + "/" + PUB_SUB_FEATURE + " API");
        }
        return pubSub;
    }
}
