package io.harmonia.foundation.testapp;

import java.util.function.Supplier;

import io.harmonia.ability.AbilityContext;
import io.harmonia.access.AbilityAccessCtrl;
import io.harmonia.access.GrantStatus;
import io.harmonia.bundle.BundleManager;
import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RemoteObject;

/**
 * The services' remote objects, in the two raw reply layouts of the seeds (quirk 0.5: the framework imposes none).
 * Codes: {@link #REQUEST_CODE} the seeds' raw round trip (data + 1); {@link #IDENTITY} the caller's uid, pid and
 * token id as {@code IPCSkeleton} sees them; {@link #TOKEN_CHECK} the seeds' verifyAccessTokenSync check;
 * {@link #UID_CHECK} the seeds' getCallingUid then getBundleNameByUid check, whose verdict is only logged.
 */
final class SeedStubs
{
    /** The seeds' REQUEST_CODE. */
    static final int REQUEST_CODE = 1;
    static final int IDENTITY = 2;
    static final int TOKEN_CHECK = 3;
    static final int UID_CHECK = 4;
    static final int ERR_OK = 0;
    static final int ERR_DENY = -1;

    private SeedStubs()
    {
    }

    /** Writes the caller's identity: uid, pid, token id. */
    private static void identity(final MessageSequence reply)
    {
        reply.writeInt(IPCSkeleton.getCallingUid());
        reply.writeInt(IPCSkeleton.getCallingPid());
        reply.writeLong(IPCSkeleton.getCallingTokenId());
    }

    /**
     * The seeds' uid check: the uid read at the top, the bundle looked up later; the reply does not wait for it
     * (quirk 0.7: it is sent before the check ends).
     */
    private static void uidCheck(final Supplier<AbilityContext> context, final String expected)
    {
        final int callerUid = IPCSkeleton.getCallingUid();
        BundleManager.getBundleNameByUid(callerUid).whenComplete((callerBundleName, failure) ->
        {
            if (null != failure)
            {
                EventLog.append(context.get(), "uid check failed " + failure.getMessage());
            }
            else if (!expected.equals(callerBundleName))
            {
                EventLog.append(context.get(), "uid check " + callerBundleName + " is not in trustlist, reject");
            }
            else
            {
                EventLog.append(context.get(), "uid check " + callerBundleName + " accepted");
            }
        });
    }

    /** [001]'s layout: the reply is the message alone; the token check answers (ERR_DENY) or (ERR_OK, data + 1). */
    static final class ServiceStub001 extends RemoteObject
    {
        private final Supplier<AbilityContext> context;

        ServiceStub001(final String descriptor, final Supplier<AbilityContext> context)
        {
            super(descriptor);
            this.context = context;
        }

        @Override
        protected boolean onRemoteMessageRequest(final int code, final MessageSequence data,
            final MessageSequence reply, final MessageOption option)
        {
            switch (code)
            {
                case REQUEST_CODE -> reply.writeInt(data.readInt() + 1);
                case IDENTITY -> identity(reply);
                case TOKEN_CHECK ->
                {
                    final int value = data.readInt();
                    final long callerTokenId = IPCSkeleton.getCallingTokenId();
                    final GrantStatus grantStatus = AbilityAccessCtrl.createAtManager()
                        .verifyAccessTokenSync(callerTokenId, "ohos.permission.SET_WALLPAPER");
                    if (GrantStatus.PERMISSION_DENIED == grantStatus)
                    {
                        reply.writeInt(ERR_DENY);
                        return true;
                    }
                    reply.writeInt(ERR_OK);
                    reply.writeInt(value + 1);
                }
                case UID_CHECK -> uidCheck(context, "com.example.connectextapp");
                default ->
                {
                    return false;
                }
            }
            return true;
        }
    }

    /** [000]'s layout: errCode first, then the message; the token check returns false when denied. */
    static final class ServiceStub000 extends RemoteObject
    {
        private final Supplier<AbilityContext> context;

        ServiceStub000(final String descriptor, final Supplier<AbilityContext> context)
        {
            super(descriptor);
            this.context = context;
        }

        @Override
        protected boolean onRemoteMessageRequest(final int code, final MessageSequence data,
            final MessageSequence reply, final MessageOption option)
        {
            switch (code)
            {
                case REQUEST_CODE ->
                {
                    final int value = data.readInt();
                    reply.writeInt(ERR_OK);
                    reply.writeInt(value + 1);
                }
                case IDENTITY -> identity(reply);
                case TOKEN_CHECK ->
                {
                    final long callerTokenId = IPCSkeleton.getCallingTokenId();
                    final GrantStatus grantStatus = AbilityAccessCtrl.createAtManager()
                        .verifyAccessTokenSync(callerTokenId, "ohos.permission.GET_BUNDLE_INFO_PRIVILEGED");
                    if (GrantStatus.PERMISSION_DENIED == grantStatus)
                    {
                        return false;
                    }
                    reply.writeInt(ERR_OK);
                }
                case UID_CHECK -> uidCheck(context, "com.samples.stagemodelabilitydevelop");
                default ->
                {
                    return false;
                }
            }
            return true;
        }
    }
}
