package io.harmonia.services.samgr;

import java.util.List;

import io.harmonia.rpc.IRemoteObject;
import io.harmonia.samgr.ErrorCode;
import io.harmonia.samgr.registry.AccessPolicy;
import io.harmonia.samgr.wire.EntryInfo;

/**
 * The answer to one request, decided under the registry's lock and written into the reply after it is released.
 *
 * @param status   the status; for a failure the detail names the field and the limit.
 * @param detail   the failure's detail, or "".
 * @param object   GET's result, else null.
 * @param policies ADD's result (the rules in force), else null.
 * @param entries  DUMP's result, else null.
 */
record Outcome(ErrorCode status, String detail, IRemoteObject object, List<AccessPolicy> policies,
    List<EntryInfo> entries)
{
    static final Outcome DONE = new Outcome(ErrorCode.EC_SUCCESS, "", null, null, null);

    static Outcome failed(final ErrorCode status, final String detail)
    {
        return new Outcome(status, detail, null, null, null);
    }

    static Outcome found(final IRemoteObject object)
    {
        return new Outcome(ErrorCode.EC_SUCCESS, "", object, null, null);
    }

    static Outcome added(final List<AccessPolicy> policies)
    {
        return new Outcome(ErrorCode.EC_SUCCESS, "", null, policies, null);
    }

    static Outcome dumped(final List<EntryInfo> entries)
    {
        return new Outcome(ErrorCode.EC_SUCCESS, "", null, null, entries);
    }
}
