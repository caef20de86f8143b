package io.harmonia.tools;

/**
 * Where {@code harmonia up} starts the samgr server. The samgr server is being built (issue 14); until it is merged
 * this hook starts nothing and says so, and foundation publishes its services at their well-known addresses
 * (io.harmonia.ability.FoundationServices) instead of registering them in samgr. When samgr lands, this hook starts
 * it first and waits until it answers, and foundation registers with it.
 */
final class SamgrHook
{
    private SamgrHook()
    {
    }

    /**
     * Starts samgr.
     *
     * @return what was done, for the user.
     */
    static String start()
    {
        return "samgr: not started (stub: the samgr server is issue 14; foundation's services are published at "
            + "well-known addresses meanwhile)";
    }
}
