package io.harmonia.rpc;

/**
 * Who is calling: the identity {@link IPCSkeleton} answers with, and the typed token that
 * {@link IPCSkeleton#resetCallingIdentity()} returns (OpenHarmony returns an opaque string).
 *
 * @param uid     the caller's uid, from SO_PEERCRED (or this process's own).
 * @param pid     the caller's pid, from SO_PEERCRED (or this process's own).
 * @param tokenId the caller's access token id from appspawn's token table (0 when the caller was not started by
 *                appspawn), or this process's own.
 * @param local   true when the identity is this process's own (no call in progress, or a call between objects
 *                of this process).
 */
public record CallingIdentity(int uid, int pid, long tokenId, boolean local)
{
}
