package io.harmonia.rpc;

/**
 * The access token id of a process, from appspawn's token table: what {@link IPCSkeleton#getCallingTokenId()}
 * answers inside a request. A process appspawn did not start has token id 0.
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
        return pid -> 0L;
    }
}
