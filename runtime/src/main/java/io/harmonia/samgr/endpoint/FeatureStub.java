package io.harmonia.samgr.endpoint;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

import io.harmonia.rpc.CallingIdentity;
import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RemoteObject;
import io.harmonia.samgr.ErrorCode;
import io.harmonia.samgr.IUnknown;
import io.harmonia.samgr.Identity;
import io.harmonia.samgr.Samgr;
import io.harmonia.samgr.SharedRef;
import io.harmonia.samgr.registry.AccessPolicy;
import io.harmonia.samgr.registry.IServerProxy;
import io.harmonia.samgr.wire.SamgrKey;
import io.harmonia.samgr.wire.SamgrProtocol;
import io.harmonia.samgr.wire.SamgrWriter;

/**
 * The object through which other processes call one exported API (samgr_lite's router, one per API): the samgr
 * server hands it to consumers, and each call arrives here directly from the consumer's process.
 *
 * <p>For every call, in order: a withdrawn API answers {@code EC_NOSERVICE}; the caller's kernel uid is checked
 * against the entry's policy ({@code JudgePolicy}; a refusal answers {@code EC_PERMISSION}, where samgr_lite drops the
 * call and leaves the caller waiting); an API without Invoke answers {@code EC_NOHANDLER}; otherwise the call is
 * queued to the service's task as a direct request ({@code EC_FLOWCTRL} when that queue is full) and the API's
 * {@link IServerProxy#invoke} runs there, with the caller's identity in {@code IPCSkeleton}. The RPC thread does not
 * wait: the reply is sent when the task has run the call. Replies are status first (protocols.md, "feature calls").
 */
final class FeatureStub extends RemoteObject
{
    private static final System.Logger LOG = System.getLogger(FeatureStub.class.getName());

    final SamgrKey key;
    final IUnknown api;
    private final Samgr samgr;
    private final Identity identity;
    private volatile List<AccessPolicy> policies;
    private volatile boolean withdrawn;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    FeatureStub(final Samgr samgr, final SamgrKey key, final Identity identity, final IUnknown api)
    {
        super("harmonia.samgr.feature:" + key);
        this.samgr = samgr;
        this.key = key;
        this.identity = identity;
        this.api = api;
        this.policies = declaredPolicies();
    }

    /** The rules the provider's API declares (none when it has no Invoke). */
    List<AccessPolicy> declaredPolicies()
    {
        if (api instanceof final IServerProxy server)
        {
            final List<AccessPolicy> declared = server.accessPolicies();
            return null == declared ? List.of() : List.copyOf(declared);
        }
        return List.of();
    }

    /** The rules in force, as the samgr server answered the registration. */
    void policiesInForce(final List<AccessPolicy> inForce)
    {
        policies = List.copyOf(inForce);
    }

    List<AccessPolicy> policies()
    {
        return policies;
    }

    /** From now on every call answers EC_NOSERVICE (the API was unregistered). */
    void withdraw()
    {
        withdrawn = true;
    }

    long calls()
    {
        return calls.get();
    }

    @Override
    protected CompletionStage<Boolean> onRemoteMessageRequestAsync(final int code, final MessageSequence data,
        final MessageSequence reply, final MessageOption option)
    {
        if (SamgrProtocol.STATS_CODE == code)
        {
            SamgrWriter.success(reply);
            reply.writeLong(calls.get());
            reply.writeLong(refused.get());
            reply.writeLong(failed.get());
            return CompletableFuture.completedFuture(true);
        }
        if (withdrawn)
        {
            return answered(reply, ErrorCode.EC_NOSERVICE, key + " was withdrawn by its provider");
        }
        final CallingIdentity caller = IPCSkeleton.getCallingIdentity();
        if (!AccessPolicy.allows(policies, caller.uid()))
        {
            refused.incrementAndGet();
            LOG.log(Level.INFO, () -> "refused a call to " + key + " from pid " + caller.pid() + " uid "
                + Integer.toUnsignedString(caller.uid()) + ": not allowed by " + policies);
            return answered(reply, ErrorCode.EC_PERMISSION, "uid " + Integer.toUnsignedString(caller.uid())
                + " is not allowed to call " + key + " (policy " + policies + ")");
        }
        if (!(api instanceof final IServerProxy server))
        {
            failed.incrementAndGet();
            return answered(reply, ErrorCode.EC_NOHANDLER, key + " has no Invoke");
        }
        final int funcId = SamgrProtocol.funcIdOfCode(code);
        if (!SamgrProtocol.isValidFuncId(funcId))
        {
            return answered(reply, ErrorCode.EC_INVALID, "code " + code + " carries no funcId (1.."
                + SamgrProtocol.codeOfFuncId(SamgrProtocol.MAX_FUNC_ID) + ")");
        }
        calls.incrementAndGet();
        final CompletableFuture<Boolean> done = new CompletableFuture<>();
        final Runnable call = () -> runInvoke(server, funcId, caller, data, reply, done);
        if (!identity.hasQueue())
        {
            call.run(); // a NO_TASK service has no thread of its own: its calls run where they arrive
            return done;
        }
        final ErrorCode queued;
        try (SharedRef ref = new SharedRef(() -> { }))
        {
            queued = samgr.sendSharedDirectRequest(identity, null, null, ref, (request, response) -> call.run());
        }
        if (ErrorCode.EC_SUCCESS != queued)
        {
            failed.incrementAndGet();
            return ErrorCode.EC_BUSBUSY == queued
                ? answered(reply, ErrorCode.EC_FLOWCTRL, "the task queue of " + key + " is full")
                : answered(reply, ErrorCode.EC_NOSERVICE, key + " cannot take calls (" + queued + ")");
        }
        return done;
    }

    /** Runs Invoke on the service's task, as the caller, and completes the call. */
    private void runInvoke(final IServerProxy server, final int funcId, final CallingIdentity caller,
        final MessageSequence data, final MessageSequence reply, final CompletableFuture<Boolean> done)
    {
        final CallingIdentity outer = IPCSkeleton.resetCallingIdentity();
        IPCSkeleton.restoreCallingIdentity(caller);
        try
        {
            SamgrWriter.success(reply);
            final int status = server.invoke(funcId, caller, data, reply);
            if (0 != status)
            {
                failed.incrementAndGet();
                SamgrWriter.failure(reply, status, key + ": Invoke(" + funcId + ") returned " + status);
            }
        }
        catch (final Throwable thrown)
        {
            failed.incrementAndGet();
            LOG.log(Level.WARNING, key + ": Invoke(" + funcId + ") threw", thrown);
            SamgrWriter.failure(reply, ErrorCode.EC_FAILURE, key + ": Invoke(" + funcId + ") threw " + thrown);
        }
        finally
        {
            IPCSkeleton.restoreCallingIdentity(outer);
            done.complete(true);
        }
    }

    private static CompletableFuture<Boolean> answered(final MessageSequence reply, final ErrorCode status,
        final String detail)
    {
        SamgrWriter.failure(reply, status, detail);
        return CompletableFuture.completedFuture(true);
    }
}
