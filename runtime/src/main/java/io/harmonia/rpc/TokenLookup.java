package io.harmonia.rpc;

import io.harmonia.spawn.AccessTokenTable;

/**
 * The access token id of a process, from appspawn's token table ({@link AccessTokenTable}, directory
 * {@code -Dharmonia.tokens.dir}, default {@code /run/harmonia/tokens}): what {@link IPCSkeleton#getCallingTokenId()}
 * answers inside a request. A process appspawn did not start, or whose entry is not one to trust, has token id 0.
 */
interface TokenLookup
{
    /**
     * The token id of a live process.
     *
     * @param pid the process (kernel pid of a connection).
     * @return its token id, or 0.
     */
    long tokenOf(int pid);

    static TokenLookup create()
    {
        final AccessTokenTable table = AccessTokenTable.system();
        return pid -> table.lookup(pid).orElse(0);
    }
}
